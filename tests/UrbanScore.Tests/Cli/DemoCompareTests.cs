using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Cli;

public sealed partial class DemoCompareTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-demo-compare-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task DemoCompare_2015And2025AtACityEdge_GainedAreaCloseToTheWorldsTruth()
    {
        // Mönchengladbach's western edge: the town spreads outward between the two years.
        var (code, stdout, stderr) = await CliRun.RunAsync("demo", "--compare", "2015,2025", "--area", "6.30,51.12,6.55,51.28", "--out", _out);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        var line = ChangeLine().Match(stdout);
        Assert.True(line.Success, stdout);
        var gained = double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
        var truth = double.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(truth > 1, $"the world should grow by more than 1 km² here: {stdout}");
        Assert.True(Math.Abs(gained - truth) <= (0.35 * truth) + 1, $"gained {gained} km² vs truth {truth} km²: {stdout}");
        foreach (var file in new[] { "2015/scores.sqlite", "2025/scores.sqlite", "compare/change.tif", "compare/heatmap.mbtiles", "compare/index.html" })
        {
            Assert.True(File.Exists(Path.Combine(_out, file)), file + " missing");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "compare", "change.json")));
        Assert.Equal(gained, json.RootElement.GetProperty("total").GetProperty("gainedUrbanKm2").GetDouble(), 0.01);
        var source = File.ReadAllText(Path.Combine(_out, "2015", "run.json"));
        Assert.Contains("2015", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2015")]
    [InlineData("2015,1850")]
    [InlineData("2015,2015")]
    public async Task DemoCompare_BadYears_ExitCode2(string years)
    {
        var (code, _, stderr) = await CliRun.RunAsync("demo", "--compare", years, "--out", _out);

        Assert.Equal(2, code);
        Assert.Contains("--compare", stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"gained ([0-9.]+) km² \(world's truth ([0-9.]+) km²\)")]
    private static partial Regex ChangeLine();

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
