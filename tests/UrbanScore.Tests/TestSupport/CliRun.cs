using UrbanScore.Cli;

namespace UrbanScore.Tests.TestSupport;

/// <summary>Runs the CLI in-process with captured output.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await UrbanScoreCli.RunAsync(args, new CliContext(stdout, stderr, IsInteractive: false), TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
