using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Packaging;

public sealed class VersionTests
{
    [Fact]
    public async Task Version_Flag_PrintsVersionCommitFlavourAndNativeLibraryVersions()
    {
        var (code, stdout, _) = await CliRun.RunAsync("--version");

        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("urbanscore " + ProductInfo.Version, lines[0]);
        Assert.Matches("^commit: +([0-9a-f]{40}|unknown)$", lines[1]);
        Assert.Matches("^flavour: +(CPU|GPU)$", lines[2]);
        Assert.Matches(@"^onnxruntime: +1\.\d+\.\d+ \(native\), managed 1\.\d+\.\d+$", lines[3]);
        Assert.Matches(@"^skiasharp: +3\.\d+\.\d+ \(native milestone \d+\.\d+\)$", lines[4]);
        Assert.StartsWith("runtime:", lines[5], StringComparison.Ordinal);
    }
}
