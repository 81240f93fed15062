using System.Text.RegularExpressions;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Packaging;

/// <summary>
/// run.ps1 must run exactly the commands README.md shows (PowerShell is not needed: the script's command table is
/// read as text). Both files are at the repository root.
/// </summary>
public sealed partial class RunScriptTests
{
    private static readonly string[] s_tasks = ["build", "test", "demo", "bench", "pack"];

    [Fact]
    public void RunScript_CommandTable_HasEveryTaskOnce()
    {
        var commands = Commands();

        Assert.Equal(s_tasks.Order(StringComparer.Ordinal), commands.Keys.Order(StringComparer.Ordinal));
        Assert.All(commands.Values, c => Assert.StartsWith("dotnet ", c, StringComparison.Ordinal));
    }

    [Fact]
    public void RunScript_EveryCommand_AppearsVerbatimInReadme()
    {
        var readmePath = Path.Combine(SharedFixtures.RepoRoot, "README.md");
        if (!File.Exists(readmePath))
        {
            Assert.Skip("README.md is not written yet; once it is, every run.ps1 command must appear in it.");
        }

        var readme = File.ReadAllText(readmePath);
        var missing = Commands().Where(c => !readme.Contains(c.Value, StringComparison.Ordinal)).Select(c => $"{c.Key}: {c.Value}").ToList();

        Assert.True(missing.Count == 0, "README.md does not show these run.ps1 commands verbatim:\n" + string.Join('\n', missing));
    }

    private static Dictionary<string, string> Commands()
    {
        var script = File.ReadAllText(Path.Combine(SharedFixtures.RepoRoot, "run.ps1"));
        return CommandLine().Matches(script).ToDictionary(m => m.Groups["task"].Value, m => m.Groups["command"].Value, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\s*'(?<task>[a-z]+)'\s*=\s*'(?<command>[^']+)'\s*$", RegexOptions.Multiline)]
    private static partial Regex CommandLine();
}
