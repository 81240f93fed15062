using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Packaging;

/// <summary>
/// run.ps1 executed for real with PowerShell 7.6.9: a task runs README.md's command (the build, into a separate
/// artifacts folder so the running tests' binaries are not touched), and an unknown task is refused before anything
/// runs. Alone, because the build keeps both cores busy.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class RunScriptExecutionTests : IDisposable
{
    private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "urbanscore-runps1-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void RunScript_UnknownTask_IsRefusedNamingTheTasks()
    {
        var pwsh = PowerShell.Require();

        var (code, stdout, stderr) = ExternalTool.Run(pwsh, ["-NoProfile", "-NonInteractive", "-File", "run.ps1", "deploy"], TimeSpan.FromMinutes(5), SharedFixtures.RepoRoot);

        Assert.NotEqual(0, code);
        Assert.Contains("\"deploy\" does not belong to the set \"build,test,demo,bench,pack\"", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("> dotnet", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void RunScript_Build_RunsTheReadmeBuildCommand()
    {
        var pwsh = PowerShell.Require();

        var (code, stdout, stderr) = ExternalTool.Run(
            pwsh, ["-NoProfile", "-NonInteractive", "-File", "run.ps1", "build", "--artifacts-path", _artifacts], TimeSpan.FromMinutes(30), SharedFixtures.RepoRoot);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("> dotnet build UrbanScore.sln -c Release --artifacts-path " + _artifacts, stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_artifacts, "bin", "UrbanScore.Cli", "release", "UrbanScore.Cli.dll")), "the CLI was not built into " + _artifacts);
    }

    public void Dispose()
    {
        if (Directory.Exists(_artifacts))
        {
            Directory.Delete(_artifacts, recursive: true);
        }
    }
}
