namespace UrbanScore.Tests.TestSupport;

/// <summary>
/// PowerShell 7.6.9 for the tests that run run.ps1: <c>pwsh</c> from PATH, else the .NET tool installed once into a
/// folder under the temp directory (<c>dotnet tool install --tool-path DIR PowerShell --version 7.6.9</c>; later
/// versions may want a newer .NET). Skips when neither is there and the install fails (offline, no package source).
/// </summary>
internal static class PowerShell
{
    public const string Version = "7.6.9";

    private static readonly Lock s_lock = new();

    public static string Require()
    {
        if (ExternalTool.Find("pwsh") is { } onPath)
        {
            return onPath;
        }

        var folder = Path.Combine(Path.GetTempPath(), "urbanscore-tools", "pwsh-" + Version);
        var pwsh = Path.Combine(folder, "pwsh");
        lock (s_lock)
        {
            if (!File.Exists(pwsh))
            {
                var (code, stdout, stderr) = ExternalTool.Run("dotnet", ["tool", "install", "--tool-path", folder, "PowerShell", "--version", Version], TimeSpan.FromMinutes(10));
                if (code != 0 || !File.Exists(pwsh))
                {
                    Assert.Skip($"PowerShell {Version} could not be installed as a .NET tool into {folder} (offline?): {(stderr + stdout).Trim()}");
                }
            }
        }

        return pwsh;
    }
}
