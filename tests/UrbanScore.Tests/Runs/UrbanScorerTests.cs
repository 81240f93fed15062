using UrbanScore.Geo;
using UrbanScore.Observability;
using UrbanScore.Pipeline;
using UrbanScore.Runs;
using UrbanScore.Tests.Inference;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace UrbanScore.Tests.Runs;

public sealed class UrbanScorerTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-facade-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ScoreAsync_XyzRequest_WritesOutputsReportsProgressAndLogs()
    {
        var image = TestImages.Flat(200, 20, 20);
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(image);
        });
        var nw = WebMercator.TileNorthWest(new TileIndex(Zoom: 12, Col: 2000, Row: 1300));
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: 12, Col: 2002, Row: 1302));
        var progress = new ListProgress();
        var logger = new FakeLogger();

        var result = await UrbanScorer.ScoreAsync(new ScoreRequest
        {
            XyzTemplate = server.BaseUri + "{z}/{x}/{y}.png",
            Area = new BoxArea(new BoundingBox(MinX: nw.Lon + 1e-7, MinY: se.Lat + 1e-7, MaxX: se.Lon - 1e-7, MaxY: nw.Lat - 1e-7)),
            Zoom = 12,
            ModelPath = InferenceTestData.Model("colour-fixed1"),
            OutputFolder = _out,
            PositiveLabel = "red",
            Logger = logger,
        }, progress, TestContext.Current.CancellationToken);

        Assert.Equal(4, result.Counts.Scored);
        Assert.True(File.Exists(result.ManifestPath));
        Assert.True(File.Exists(Path.Combine(_out, "scores.csv")));
        Assert.Equal(4, progress.Reports[^1].Done);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.StartsWith("pipeline finished: 4 tiles", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScoreAsync_NoSource_ThrowsUrbanScoreExceptionAboutTheSource()
    {
        var request = new ScoreRequest
        {
            Area = new BoxArea(new BoundingBox(MinX: 0, MinY: 0, MaxX: 1, MaxY: 1)),
            Zoom = 3,
            ModelPath = InferenceTestData.Model("colour-fixed1"),
            OutputFolder = _out,
        };

        var ex = await Assert.ThrowsAsync<UrbanScoreException>(() => UrbanScorer.ScoreAsync(request, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(InputSubject.Source, ex.Subject);
        Assert.StartsWith("No tile source was given", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MeterName_IsUrbanScore()
    {
        Assert.Equal("UrbanScore", UrbanScoreMetrics.MeterName);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private sealed class ListProgress : IProgress<PipelineProgress>
    {
        private readonly Lock _lock = new();

        public List<PipelineProgress> Reports { get; } = [];

        public void Report(PipelineProgress value)
        {
            lock (_lock)
            {
                Reports.Add(value);
            }
        }
    }
}
