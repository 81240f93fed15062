using System.Text.Json;
using Microsoft.AspNetCore.Http;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Reliability;

/// <summary>
/// The streaming check (docs/performance.md): a 20,000-tile run (tiny generated model, local tile server) keeps the CLI's peak
/// resident memory under 400 MB, because no stage holds the area (bounded channels, rasters written row by row).
/// Runs the built CLI as its own process, so the figure is that process's alone.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class StreamingMemoryTests : IDisposable
{
    private static readonly TileGrid s_grid = new(zoom: 15, firstCol: 17000, firstRow: 11000, cols: 200, rows: 100);
    private static readonly byte[] s_png = TestImages.FromFunction(256, 256, (x, y) => new SkiaSharp.SKColor((byte)(200 + (x % 50)), (byte)(y % 60), 40));
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-rss-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Score_TwentyThousandTiles_PeakRssStaysUnder400MB()
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(s_png);
        }, lifetime: TimeSpan.FromMinutes(5));

        using var run = CliProcess.Start(
            "score", "--xyz", server.BaseUri + "{z}/{x}/{y}.png", "--zoom", "15", "--bbox", s_grid.Bbox, "--model", TileGrid.Model(),
            "--positive-label", "red", "--out", _out, "--min-zoom", "15");
        var code = await run.WaitAsync(TimeSpan.FromMinutes(4));

        Assert.True(code == 0, run.Error);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "run.json"), TestContext.Current.CancellationToken));
        Assert.Equal(20_000, manifest.RootElement.GetProperty("tiles").GetProperty("scored").GetInt32());
        var peak = manifest.RootElement.GetProperty("peakRssMiB").GetDouble();
        TestContext.Current.TestOutputHelper?.WriteLine($"peak RSS {peak} MiB for 20,000 tiles");
        Assert.True(peak < 400 * 1000.0 * 1000.0 / (1024.0 * 1024.0), $"peak RSS {peak} MiB");
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
