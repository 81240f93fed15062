using System.Globalization;
using System.Text.RegularExpressions;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Cli;

public sealed partial class DemoCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-demo-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Demo_MaxTiles500_ScoresOfflineWritesOutputsAndReportsGroundTruthAgreement()
    {
        var (code, stdout, stderr) = await CliRun.RunAsync("demo", "--max-tiles", "500", "--out", _out);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        var done = DoneLine().Match(stdout);
        Assert.True(done.Success, stdout);
        Assert.InRange(int.Parse(done.Groups[1].Value, CultureInfo.InvariantCulture), 450, 500);
        var auc = RocAuc().Match(stdout);
        Assert.True(auc.Success, stdout);
        Assert.True(double.Parse(auc.Groups[1].Value, CultureInfo.InvariantCulture) >= 0.95, stdout);
        foreach (var file in new[] { "scores.sqlite", "scores.csv", "heatmap.tif", "scores.tif", "run.json", "index.html" })
        {
            Assert.True(File.Exists(Path.Combine(_out, file)), $"{file} missing");
        }
    }

    [Fact]
    public async Task Demo_RunAgainInTheSameFolder_SaysTheTilesWereAlreadyScoredInsteadOfARate()
    {
        var (first, _, firstError) = await CliRun.RunAsync("demo", "--max-tiles", "120", "--out", _out);
        Assert.True(first == 0, firstError);

        var (code, stdout, stderr) = await CliRun.RunAsync("demo", "--max-tiles", "120", "--out", _out);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        var done = DoneLine().Match(stdout);
        Assert.True(done.Success, stdout);
        Assert.Contains($"{done.Groups[1].Value} were already scored in {_out} by an earlier run", stdout, StringComparison.Ordinal);
        Assert.Contains("0 new in", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("tiles/s", stdout.Split('\n').Single(l => l.StartsWith("done:", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"done: (\d+) tiles, \1 scored")]
    private static partial Regex DoneLine();

    [GeneratedRegex(@"ROC-AUC ([0-9.]+)")]
    private static partial Regex RocAuc();

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
