using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SkiaSharp;
using UrbanScore.Pipeline;
using UrbanScore.Runs;
using UrbanScore.Sources;
using UrbanScore.Storage;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Pipeline;

public sealed class ScoreJobTests : IDisposable
{
    // z12 box around central Helsinki: 4 × 3 tiles.
    private static readonly BoundingBox s_area = new(MinX: 24.87, MinY: 60.14, MaxX: 25.10, MaxY: 60.22);
    private static readonly TileRange s_range = TileCover.ForBoundingBox(s_area, TileMatrixSet.WebMercatorQuad(), 12).Single();
    private static readonly TileIndex s_first = new(Zoom: 12, Col: s_range.MinCol, Row: s_range.MinRow);
    private static readonly TileIndex s_middle = new(Zoom: 12, Col: s_range.MinCol + 1, Row: s_range.MinRow + 1);
    private static readonly TileIndex s_last = new(Zoom: 12, Col: s_range.MaxCol, Row: s_range.MaxRow);
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-test-" + Guid.NewGuid().ToString("N"));
    private readonly string _model = Path.GetTempFileName();

    public ScoreJobTests() => File.WriteAllText(_model, "fake model bytes");

    /// <summary>Red level served for a tile: the fake scorer turns it into P(city) = red/255.</summary>
    private static byte RedOf(int col, int row) => (byte)(((col * 37) + (row * 11)) % 256);

    private static Task<LoopbackServer> TileServer(Func<int, int, bool>? missing = null, Func<int, int, bool>? exception = null) =>
        LoopbackServer.StartAsync(async context =>
        {
            var parts = context.Request.Path.Value!.Trim('/').Split('/');
            var col = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            var row = int.Parse(parts[2].Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
            if (missing?.Invoke(col, row) == true)
            {
                context.Response.StatusCode = 404;
                return;
            }

            if (exception?.Invoke(col, row) == true)
            {
                await context.Response.WriteAsync("<ExceptionReport><Exception><ExceptionText>layer disabled</ExceptionText></Exception></ExceptionReport>");
                return;
            }

            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(TestImages.Flat(RedOf(col, row), 90, 30));
        });

    private ScoreJobOptions Options(bool force = false, Task? scorerReady = null) => new()
    {
        Area = new UrbanScore.Geo.BoxArea(s_area),
        Zoom = 12,
        OutputFolder = _out,
        Force = force,
        Pipeline = new UrbanScore.Pipeline.PipelineOptions { FetchConcurrency = 4, DecodeWorkers = 2, ChannelCapacity = 4 },
        CommandLine = "urbanscore score --xyz http://x/{z}/{x}/{y}.png?apikey=TOPSECRET",
        ScorerReady = scorerReady,
    };

    [Fact]
    public async Task RunAsync_XyzServer_ScoresEveryTileAndWritesOutputs()
    {
        await using var server = await TileServer(missing: (c, r) => c == s_first.Col && r == s_first.Row, exception: (c, r) => c == s_last.Col && r == s_last.Row);
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png?apikey=TOPSECRET", fetcher);
        using var scorer = new FakeScorer();

        var result = await ScoreJob.RunAsync(source, scorer, _model, Options(), null, TestContext.Current.CancellationToken);

        Assert.Equal(4, s_range.Width);
        Assert.Equal(3, s_range.Height);
        Assert.Equal(new RunCounts(Planned: 12, Scored: 10, Empty: 1, Failed: 1, Skipped: 0), result.Counts);
        using var store = ScoreStore.OpenExisting(_out);
        var tiles = store.ReadAll().ToDictionary(t => t.Tile);
        var scored = tiles[s_middle];
        Assert.Equal(RedOf(s_middle.Col, s_middle.Row) / 255f, scored.Score, 1e-3f);
        Assert.Equal(2, scored.LabelScores.Length);
        Assert.Contains("layer disabled", tiles[s_last].Reason, StringComparison.Ordinal);

        // Heatmap tile: flat red, alpha = round(255·P).
        using var png = SKBitmap.Decode(Path.Combine(_out, "heatmap", "12", $"{s_middle.Col}", $"{s_middle.Row}.png"));
        var pixel = png.GetPixel(100, 100);
        Assert.Equal(255, pixel.Red);
        Assert.Equal(Math.Round(RedOf(s_middle.Col, s_middle.Row) / 255.0 * 255), pixel.Alpha, 1);
        Assert.False(File.Exists(Path.Combine(_out, "heatmap", "12", $"{s_first.Col}", $"{s_first.Row}.png")));

        var csv = File.ReadAllLines(Path.Combine(_out, "scores.csv"));
        Assert.Equal("z,x,y,status,score,p_city,p_not_city,attempts,reason", csv[0]);
        Assert.Equal(13, csv.Length);

        var manifest = File.ReadAllText(Path.Combine(_out, "run.json"));
        Assert.DoesNotContain("TOPSECRET", manifest, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(manifest);
        Assert.Equal(12, json.RootElement.GetProperty("tiles").GetProperty("planned").GetInt32());
        Assert.Equal(64, json.RootElement.GetProperty("modelSha256").GetString()!.Length);
        Assert.All(Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain("TOPSECRET", File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(7, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(7, false)]
    public async Task RunAsync_TinyQueueManyFetchers_ScoresEveryTileWithoutStalling(int capacity, bool wakeInline)
    {
        // The fetch workers refill the queue in bursts behind a gate that the compute workers reopen, and wake the
        // producer once the tile channel is half empty: with a queue of one or two tiles and eight times more fetchers
        // than slots, any lost reopening or wake-up would hang this run.
        await using var server = await TileServer();
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0, Concurrency = 16 });
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        using var scorer = new FakeScorer();
        var planned = TileCover.ForBoundingBox(s_area, TileMatrixSet.WebMercatorQuad(), 14).Sum(r => r.Count);
        var options = new ScoreJobOptions
        {
            Area = new UrbanScore.Geo.BoxArea(s_area),
            Zoom = 14,
            OutputFolder = _out,
            Pipeline = new UrbanScore.Pipeline.PipelineOptions { FetchConcurrency = 16, DecodeWorkers = 2, ChannelCapacity = capacity, TileQueueCapacity = capacity, WakeInline = wakeInline },
        };

        var result = await ScoreJob.RunAsync(source, scorer, _model, options, null, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        Assert.True(planned > 100, $"{planned} tiles");
        Assert.Equal(new RunCounts(Planned: planned, Scored: planned, Empty: 0, Failed: 0, Skipped: 0), result.Counts);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_ServerStallsAfterAFewTiles_HandsWhatWasScoredToTheSinksMeanwhile(bool wakeInline)
    {
        // The compute workers wake the sink stage once per burst of outcomes (half the queue: 32 tiles here); a worker
        // that runs out of tiles must wake it at once, or the scored tiles would wait unstored for the stall.
        await using var server = await StallingServer.StartAsync(answered: 3);
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0, Concurrency = 4 });
        var source = new XyzTileSource(server.Server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        using var scorer = new FakeScorer();
        var seen = new RecordingSink(awaited: 3);
        var options = new ScoreJobOptions
        {
            Area = new UrbanScore.Geo.BoxArea(s_area),
            Zoom = 12,
            OutputFolder = _out,
            Pipeline = new UrbanScore.Pipeline.PipelineOptions { FetchConcurrency = 4, DecodeWorkers = 2, ChannelCapacity = 64, WakeInline = wakeInline },
            ExtraSinks = [seen],
        };

        var run = ScoreJob.RunAsync(source, scorer, _model, options, null, TestContext.Current.CancellationToken);
        var reached = await Task.WhenAny(seen.Reached, Task.Delay(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));
        var duringStall = (seen.Count, server.Held);
        server.Release();
        var result = await run.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.True(reached == seen.Reached, $"{duringStall.Count} of the 3 tiles the server answered reached the sinks while it stalled");
        Assert.Equal(3, duringStall.Count);
        Assert.True(duringStall.Held >= 1, "the server was holding requests meanwhile");
        Assert.Equal(new RunCounts(Planned: 12, Scored: 12, Empty: 0, Failed: 0, Skipped: 0), result.Counts);
        Assert.Equal(12, seen.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_CancelledWhileTheServerStalls_EndsCancelledAndStoresWhatWasScored(bool wakeInline)
    {
        // Cancelled while the producer waits on a full tile channel and the fetch workers on a stalled server: the
        // run ends with the cancellation, and the tiles scored before it are in the store.
        await using var server = await StallingServer.StartAsync(answered: 3);
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0, Concurrency = 4 });
        var source = new XyzTileSource(server.Server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        using var scorer = new FakeScorer();
        var seen = new RecordingSink(awaited: 3);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var options = new ScoreJobOptions
        {
            Area = new UrbanScore.Geo.BoxArea(s_area),
            Zoom = 12,
            OutputFolder = _out,
            Pipeline = new UrbanScore.Pipeline.PipelineOptions { FetchConcurrency = 4, DecodeWorkers = 2, ChannelCapacity = 2, TileQueueCapacity = 2, WakeInline = wakeInline },
            ExtraSinks = [seen],
        };

        var run = ScoreJob.RunAsync(source, scorer, _model, options, null, cancel.Token);
        await seen.Reached.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        await cancel.CancelAsync();
        var error = await Record.ExceptionAsync(() => run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        server.Release();

        Assert.IsType<OperationCanceledException>(error, exactMatch: false);
        using var store = ScoreStore.OpenExisting(_out);
        Assert.Equal(3, store.ReadAll().Count(t => t.Status == TileStatus.Scored));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_ComputeWorkerThrowsWithOutcomesQueued_StoresThemAndFails(bool wakeInline)
    {
        // A fault that escapes a compute worker (here a cancellation from inside the model) ends the run with it, but
        // only after the sink stage has stored what the worker wrote: fewer than a burst, so the worker's exit must
        // wake the sink, or the run would never end. One fetcher and one worker keep the order: eleven 404s (empty
        // outcomes, no model call), then the one image, whose batch throws.
        await using var server = await TileServer(missing: (c, r) => !(c == s_last.Col && r == s_last.Row));
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0, Concurrency = 1 });
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        using var scorer = new FakeScorer(maxBatch: 1) { ThrowForRed = (0f, 1f), Fault = static () => new OperationCanceledException("model cancelled") };
        var opening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new ScoreJobOptions
        {
            Area = new UrbanScore.Geo.BoxArea(s_area),
            Zoom = 12,
            OutputFolder = _out,
            Pipeline = new UrbanScore.Pipeline.PipelineOptions { FetchConcurrency = 1, DecodeWorkers = 1, ChannelCapacity = 64, WakeInline = wakeInline },
            ScorerReady = opening.Task,
        };

        var run = ScoreJob.RunAsync(source, scorer, _model, options, null, TestContext.Current.CancellationToken);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (server.Log.Count < 12 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        opening.SetResult();
        var error = await Record.ExceptionAsync(() => run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.EndsWith($"/12/{s_last.Col}/{s_last.Row}.png", server.Log.Last().PathAndQuery, StringComparison.Ordinal);
        Assert.IsType<OperationCanceledException>(error, exactMatch: false);
        Assert.Equal(1, scorer.Calls);
        using var store = ScoreStore.OpenExisting(_out);
        Assert.Equal(11, store.ReadAll().Count(t => t.Status == TileStatus.Empty));
    }

    [Fact]
    public async Task RunAsync_SecondRunSameFolder_SkipsDoneTilesAndRetriesFailedOnes()
    {
        var failing = true;
        await using var server = await TileServer(exception: (c, r) => failing && c == s_middle.Col && r == s_middle.Row);
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        using var scorer = new FakeScorer();
        var first = await ScoreJob.RunAsync(source, scorer, _model, Options(), null, TestContext.Current.CancellationToken);
        var firstCsv = File.ReadAllText(Path.Combine(_out, "scores.csv"));
        failing = false;
        var requestsBefore = server.Log.Count;

        var second = await ScoreJob.RunAsync(source, scorer, _model, Options(), null, TestContext.Current.CancellationToken);

        Assert.Equal(1, first.Counts.Failed);
        Assert.Equal(0, second.Counts.Failed);
        Assert.Equal(11, second.Counts.Skipped);
        Assert.Equal(12, second.Counts.Scored);
        Assert.Equal(1, server.Log.Count - requestsBefore);
        Assert.NotEqual(firstCsv, File.ReadAllText(Path.Combine(_out, "scores.csv")));
    }

    [Fact]
    public async Task RunAsync_OtherModelIntoSameFolder_IsRefusedUnlessForced()
    {
        await using var server = await TileServer();
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions());
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        using var scorer = new FakeScorer();
        await ScoreJob.RunAsync(source, scorer, _model, Options(), null, TestContext.Current.CancellationToken);
        File.WriteAllText(_model, "another model");

        var error = await Assert.ThrowsAsync<UrbanScoreException>(() => ScoreJob.RunAsync(source, scorer, _model, Options(), null, TestContext.Current.CancellationToken));
        var forced = await ScoreJob.RunAsync(source, scorer, _model, Options(force: true), null, TestContext.Current.CancellationToken);

        Assert.Contains("force replacing it", error.Message, StringComparison.Ordinal);
        Assert.Equal(InputSubject.OutputFolder, error.Subject);
        Assert.Equal(12, forced.Counts.Scored);
        Assert.Equal(0, forced.Counts.Skipped);
    }

    [Fact]
    public async Task RunAsync_ModelThrowsForOneBatch_FailsThoseTilesAndGoesOn()
    {
        await using var server = await TileServer();
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions());
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        var poison = RedOf(s_middle.Col, s_middle.Row) / 255f;
        using var scorer = new FakeScorer(maxBatch: 1) { ThrowForRed = (poison - 0.001f, poison + 0.001f) };

        var result = await ScoreJob.RunAsync(source, scorer, _model, Options(), null, TestContext.Current.CancellationToken);

        Assert.Equal(11, result.Counts.Scored);
        Assert.Equal(1, result.Counts.Failed);
        using var store = ScoreStore.OpenExisting(_out);
        var failed = store.ReadAll().Single(t => t.Status == TileStatus.Failed);
        Assert.StartsWith("model error: shape the model rejects", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ScorerStillOpening_FetchesMeanwhileAndScoresOnceReady()
    {
        // ScoreRun starts the job while ONNX Runtime still builds the session: the fetch workers fill the queue, and
        // nothing is scored before the session is ready.
        await using var server = await TileServer();
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        using var scorer = new FakeScorer();
        var opening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options(scorerReady: opening.Task);

        var run = ScoreJob.RunAsync(source, scorer, _model, options, null, TestContext.Current.CancellationToken);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (server.Log.Count < 4 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(server.Log.Count >= 4, $"{server.Log.Count} requests before the session was ready");
        Assert.Equal(0, scorer.Calls);
        Assert.False(run.IsCompleted);
        opening.SetResult();
        var result = await run.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(new RunCounts(Planned: 12, Scored: 12, Empty: 0, Failed: 0, Skipped: 0), result.Counts);
    }

    [Fact]
    public async Task RunAsync_ScorerFailsToOpen_FailsWithItsReasonAndRecordsNoTile()
    {
        // A session ONNX Runtime cannot build is bad input for the whole run, not a model error of each batch.
        await using var server = await TileServer();
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        using var scorer = new FakeScorer();
        var options = Options(scorerReady: Task.FromException(new UrbanScoreException("The model could not be loaded by ONNX Runtime; re-export it.")));

        var error = await Assert.ThrowsAsync<UrbanScoreException>(() => ScoreJob.RunAsync(source, scorer, _model, options, null, TestContext.Current.CancellationToken));

        Assert.Equal("The model could not be loaded by ONNX Runtime; re-export it.", error.Message);
        Assert.Equal(0, scorer.Calls);
        using var store = ScoreStore.OpenExisting(_out);
        Assert.Empty(store.ReadAll());
    }

    [Fact]
    public async Task RunAsync_UnknownPositiveLabel_ListsTheModelsLabels()
    {
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions());
        var source = new XyzTileSource("http://127.0.0.1:9/{z}/{x}/{y}.png", fetcher);
        using var scorer = new FakeScorer();
        var options = new ScoreJobOptions { Area = new UrbanScore.Geo.BoxArea(s_area), Zoom = 12, OutputFolder = _out, PositiveLabel = "town" };

        var error = await Assert.ThrowsAsync<UrbanScoreException>(() => ScoreJob.RunAsync(source, scorer, _model, options, null, TestContext.Current.CancellationToken));

        Assert.Contains("city, not_city", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }

        File.Delete(_model);
    }

    /// <summary>A tile server that answers the first requests with a tile and holds every later one until released.</summary>
    private sealed class StallingServer : IAsyncDisposable
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _requests;
        private int _held;

        private StallingServer()
        {
        }

        public LoopbackServer Server { get; private set; } = null!;

        /// <summary>Requests held so far.</summary>
        public int Held => Volatile.Read(ref _held);

        public static async Task<StallingServer> StartAsync(int answered)
        {
            var stalling = new StallingServer();
            stalling.Server = await LoopbackServer.StartAsync(async context =>
            {
                if (Interlocked.Increment(ref stalling._requests) > answered)
                {
                    Interlocked.Increment(ref stalling._held);
                    await stalling._release.Task.WaitAsync(TimeSpan.FromMinutes(1), context.RequestAborted);
                }

                context.Response.ContentType = "image/png";
                await context.Response.Body.WriteAsync(TestImages.Flat(200, 90, 30));
            });
            return stalling;
        }

        /// <summary>Answers the held requests and every later one.</summary>
        public void Release() => _release.TrySetResult();

        public async ValueTask DisposeAsync()
        {
            Release();
            await Server.DisposeAsync();
        }
    }

    /// <summary>Counts the outcomes the sink stage hands on, and says when a given count is reached.</summary>
    private sealed class RecordingSink(int awaited) : ITileSink
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task Reached => _reached.Task;

        public ValueTask WriteAsync(TileOutcome outcome, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _count) == awaited)
            {
                _reached.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
