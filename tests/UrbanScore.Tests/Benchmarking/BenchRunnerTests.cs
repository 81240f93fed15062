using System.Text.Json;
using UrbanScore.Pipeline;
using UrbanScore.Tests.Inference;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tools.Benchmarking;

namespace UrbanScore.Tests.Benchmarking;

// Alone: the CPU split by thread is process-wide, so other tests' work in this process would land in it.
[Collection(RunsAlone.Name)]
public sealed class BenchRunnerTests
{
    [Theory]
    [InlineData("colour-fixed1")]
    [InlineData("cv2020-zipmap")]
    public async Task RunAsync_TinyModel_ScoresEveryTileAndReportsEveryStage(string model)
    {
        // Arrange: a tiny model, few tiles, short stages, two rounds (the figures are not asserted, only their presence
        // and how they are combined).
        var options = new BenchOptions { ModelPath = InferenceTestData.Model(model), Tiles = 70, DistinctTiles = 4, StageSeconds = 0.1, Rounds = 2 };

        // Act
        var report = await BenchRunner.RunAsync(options, null, TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(70, report.EndToEnd.Scored);
        Assert.Equal(0, report.EndToEnd.Failed);
        Assert.True(report.Decode.TilesPerSecond > 0 && report.Inference.TilesPerSecond > 0 && report.EndToEnd.TilesPerSecond > 0);
        Assert.Equal(Math.Round(report.EndToEnd.TilesPerSecond / report.IdealTilesPerSecond, 3), report.Efficiency, 2);
        Assert.True(report.Limit is { TilesPerSecond: > 0, CpuMsPerTile: > 0 });
        Assert.Equal(3, report.LimitRuns.Count);
        Assert.All(report.LimitRuns, run => Assert.True(run.Tiles > 0, "each measurement of the limit scored tiles"));
        Assert.Equal(report.LimitRuns.Sum(r => r.Tiles), report.Limit.Tiles);
        Assert.InRange(report.Limit.TilesPerSecond, report.LimitRuns.Min(r => r.TilesPerSecond) * 0.999, report.LimitRuns.Max(r => r.TilesPerSecond) * 1.001);
        Assert.Equal(2, report.Rounds.Count);
        for (var i = 0; i < report.Rounds.Count; i++)
        {
            // Each round against the limit measured just before and just after it.
            var round = report.Rounds[i];
            var around = report.LimitRuns.Skip(i).Take(2).ToArray();
            Assert.InRange(round.LimitTilesPerSecond, around.Min(r => r.TilesPerSecond) * 0.999, around.Max(r => r.TilesPerSecond) * 1.001);
            Assert.Equal(Math.Round(round.EndToEndTilesPerSecond / round.LimitTilesPerSecond, 3), round.EfficiencyVsLimit, 3);
            // The same ratio from the reported figures, which are rounded (CPU per tile to 0.1 µs, the ratio to 3
            // decimals): equal within that rounding, not to the digit.
            var limitCpu = around.Sum(r => r.CpuMsPerTile * r.Tiles) / around.Sum(r => r.Tiles);
            var expected = limitCpu / round.CpuMsPerTile;
            Assert.Equal(expected, round.CpuEfficiencyVsLimit, 0.002 + (0.01 * expected));

            // The limit beside fetching, measured after the limit that follows the round: against that limit and
            // against the round.
            var beside = report.LimitBesideFetchRuns[i];
            Assert.True(beside.Tiles > 0, "the limit beside fetching scored tiles");
            var besideVsLimit = report.LimitRuns[i + 1].CpuMsPerTile / beside.CpuMsPerTile;
            Assert.Equal(besideVsLimit, round.LimitBesideFetchVsLimit!.Value, 0.002 + (0.01 * besideVsLimit));
            var pipelineShare = beside.CpuMsPerTile / round.CpuMsPerTile;
            Assert.Equal(pipelineShare, round.CpuEfficiencyVsLimitBesideFetch!.Value, 0.002 + (0.01 * pipelineShare));
        }

        Assert.Equal(report.LimitBesideFetchRuns.Sum(r => r.Tiles), report.LimitBesideFetch!.Tiles);
        Assert.Equal((report.Rounds[0].LimitBesideFetchVsLimit!.Value + report.Rounds[1].LimitBesideFetchVsLimit!.Value) / 2, report.LimitBesideFetchVsLimit!.Value, 3);
        Assert.Equal((report.Rounds[0].CpuEfficiencyVsLimitBesideFetch!.Value + report.Rounds[1].CpuEfficiencyVsLimitBesideFetch!.Value) / 2, report.CpuEfficiencyVsLimitBesideFetch!.Value, 3);

        // Two rounds: the median is the mean of both, and the end-to-end figures are the lower round's.
        Assert.Equal((report.Rounds[0].EfficiencyVsLimit + report.Rounds[1].EfficiencyVsLimit) / 2, report.EfficiencyVsLimit, 3);
        Assert.Equal((report.Rounds[0].CpuEfficiencyVsLimit + report.Rounds[1].CpuEfficiencyVsLimit) / 2, report.CpuEfficiencyVsLimit, 3);
        Assert.Equal("in process", report.Settings.Server);
        Assert.Contains(report.Notes, n => n.StartsWith("the tile server runs in the same process", StringComparison.Ordinal));
        Assert.Equal(report.Rounds.MinBy(r => r.EfficiencyVsLimit)!.EndToEndTilesPerSecond, report.EndToEnd.TilesPerSecond);
        Assert.True(report.EndToEnd.CpuMsPerTile > 0);
        if (OperatingSystem.IsLinux())
        {
            // The split adds up to the whole, the compute workers first; the HTTP client's continuations run on the pool.
            var split = report.EndToEnd.CpuByThread;
            Assert.Equal("compute workers", split[0].Threads);
            Assert.True(split[0].CpuMsPerTile > 0, "the compute workers decoded and scored every tile");
            Assert.Contains(split, t => t.Threads.StartsWith("thread pool", StringComparison.Ordinal) && t.CpuMsPerTile > 0);
            Assert.All(split, t => Assert.True(t.CpuMsPerTile >= 0, t.Threads));
            Assert.Equal(report.EndToEnd.CpuMsPerTile, split.Sum(t => t.CpuMsPerTile), 0.001 * split.Count);

            // Times on a CPU (schedstat's time slices): none for the compute workers, which may have ended before
            // the reading; the pool's threads ran every continuation; none reads negative.
            Assert.Null(split[0].SlicesPerTile);
            Assert.All(split.Skip(1), t => Assert.True(t.SlicesPerTile >= 0, t.Threads));
            Assert.True(split.Single(t => t.Threads.StartsWith("thread pool", StringComparison.Ordinal)).SlicesPerTile > 0);
        }

        // The in-process tile server alone runs a pool work item per request.
        Assert.True(report.EndToEnd.PoolWorkItemsPerTile > 0, $"{report.EndToEnd.PoolWorkItemsPerTile} work items per tile");
        Assert.True(report.Fetch is { TilesPerSecond: > 0 });
        Assert.True(report.IdealWithFetchTilesPerSecond < report.IdealTilesPerSecond);
        Assert.Equal(Math.Round(report.EndToEnd.TilesPerSecond / report.IdealWithFetchTilesPerSecond!.Value, 3), report.EfficiencyWithFetch!.Value, 2);
        Assert.True(report.LimitWithFetchTilesPerSecond < report.Limit.TilesPerSecond);
        Assert.Equal(Math.Round(report.EndToEnd.TilesPerSecond / report.LimitWithFetchTilesPerSecond!.Value, 3), report.EfficiencyVsLimitWithFetch!.Value, 2);
        Assert.Equal(70, report.Stages.Single(s => s.Stage.StartsWith("fetch", StringComparison.Ordinal)).Count);
        Assert.Equal(report.EndToEnd.Batches, report.Stages.Single(s => s.Stage.StartsWith("inference (", StringComparison.Ordinal)).Count);
        Assert.True(report.EndToEnd.PeakRssMiB > 0);
        // Every request allocates (the HTTP client's messages and headers, here also the in-process server's).
        Assert.True(report.EndToEnd.AllocatedBytesPerTile > 0, $"{report.EndToEnd.AllocatedBytesPerTile} B per tile");
        Assert.True(report.EndToEnd.Gen0Collections >= 0);
        Assert.Contains("fetchConcurrency", report.Settings.Automatic);
        Assert.DoesNotContain("tiles", report.Settings.Automatic);
        Assert.Equal(70, report.Settings.Tiles);
    }

    [Fact]
    public async Task Bench_Json_HasStableKeys()
    {
        // Act
        var (code, output, error) = await CliRun.RunAsync("bench", "--model", InferenceTestData.Model("cv2020-zipmap"), "--tiles", "20", "--rounds", "1", "--stage-seconds", "0.1", "--batch-size", "4", "--json");

        // Assert
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        foreach (var key in new[] { "machine", "settings", "decode", "inference", "limit", "limitRuns", "rounds", "idealTilesPerSecond", "endToEnd", "efficiency", "efficiencyVsLimit", "cpuEfficiencyVsLimit", "limitWithFetchTilesPerSecond", "efficiencyVsLimitWithFetch", "limitBesideFetch", "limitBesideFetchRuns", "limitBesideFetchVsLimit", "cpuEfficiencyVsLimitBesideFetch", "stages", "notes" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        Assert.Equal(4, root.GetProperty("settings").GetProperty("batchSize").GetInt32());
        Assert.Equal("in process", root.GetProperty("settings").GetProperty("server").GetString());
        Assert.Equal(20, root.GetProperty("endToEnd").GetProperty("scored").GetInt32());
        Assert.True(root.GetProperty("endToEnd").GetProperty("tilesPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("limit").GetProperty("tilesPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("efficiencyVsLimit").GetDouble() > 0);
        var round = root.GetProperty("rounds")[0];
        foreach (var key in new[] { "limitTilesPerSecond", "endToEndTilesPerSecond", "efficiencyVsLimit", "cpuMsPerTile", "cpuEfficiencyVsLimit", "limitBesideFetchVsLimit", "cpuEfficiencyVsLimitBesideFetch" })
        {
            Assert.True(round.TryGetProperty(key, out _), "rounds[]." + key);
        }

        Assert.True(root.GetProperty("endToEnd").TryGetProperty("cpuByThread", out _));
        Assert.True(root.GetProperty("endToEnd").TryGetProperty("poolWorkItemsPerTile", out _));
        if (OperatingSystem.IsLinux())
        {
            Assert.True(root.GetProperty("endToEnd").GetProperty("cpuByThread")[1].TryGetProperty("slicesPerTile", out _));
        }
        Assert.True(root.GetProperty("endToEnd").GetProperty("allocatedBytesPerTile").GetDouble() > 0);
        Assert.True(root.GetProperty("endToEnd").TryGetProperty("gen0Collections", out _));
    }

    [Fact]
    public async Task RunAsync_ExternalServer_FetchesEveryTileFromIt()
    {
        // Arrange: a bench tile server of its own, as 'bench --serve' runs it, with the tiles the benchmark renders.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await BenchTileServer.StartAsync(BenchRunner.RenderDemoTiles(4), TimeSpan.Zero, 0, ct);
        var options = new BenchOptions
        {
            ModelPath = InferenceTestData.Model("cv2020-zipmap"), Tiles = 70, DistinctTiles = 4, StageSeconds = 0.1, Rounds = 1, Server = server.XyzTemplate,
        };

        // Act
        var report = await BenchRunner.RunAsync(options, null, ct);

        // Assert: every request of the probe (64), the fetch stage, the warm-up jobs and the round went to that server.
        Assert.Equal(70, report.EndToEnd.Scored);
        Assert.Equal(server.XyzTemplate, report.Settings.Server);
        Assert.True(server.Requests >= 64 + report.Fetch!.Tiles + 70, $"{server.Requests} requests");
        Assert.Contains(report.Notes, n => n.Contains("not in this process's figures", StringComparison.Ordinal));
        Assert.True(report.CpuEfficiencyVsLimit > 0);
    }

    [Fact]
    public async Task RunAsync_FromMemory_ScoresTheRoundsWithoutFetching()
    {
        // Arrange: a server of its own, so that its requests can be counted.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await BenchTileServer.StartAsync(BenchRunner.RenderDemoTiles(4), TimeSpan.Zero, 0, ct);
        var options = new BenchOptions
        {
            ModelPath = InferenceTestData.Model("cv2020-zipmap"), Tiles = 70, DistinctTiles = 4, StageSeconds = 0.1, Rounds = 1, Server = server.XyzTemplate, FetchConcurrency = 4, FromMemory = true,
        };

        // Act
        var report = await BenchRunner.RunAsync(options, null, ct);

        // Assert: every tile of the round scored, and only the probe (64) and the fetch stage (its warm-up: 16 requests
        // per worker per round, then the measured ones) went to the server, not the warm-up jobs or the round.
        Assert.Equal(70, report.EndToEnd.Scored);
        Assert.Equal("memory", report.Settings.Server);
        Assert.Equal(64 + (JitSettling.WarmUpRounds * 4 * 16) + report.Fetch!.Tiles, server.Requests);
        Assert.Null(report.LimitBesideFetch);
        Assert.Empty(report.LimitBesideFetchRuns);
        Assert.All(report.Rounds, r => Assert.Null(r.CpuEfficiencyVsLimitBesideFetch));
        Assert.Contains(report.Notes, n => n.Contains("--from-memory", StringComparison.Ordinal));
        Assert.True(report.CpuEfficiencyVsLimit > 0);
    }

    [Fact]
    public async Task RunAsync_ServerTooSlowForTheLimitBesideFetching_SaysTheFigureIsOptimistic()
    {
        // Arrange: one request in flight to a server that answers after 20 ms (at most 50 tiles/s), beside a tiny
        // model that scores thousands of tiles a second.
        var options = new BenchOptions { ModelPath = InferenceTestData.Model("cv2020-zipmap"), Tiles = 20, DistinctTiles = 4, StageSeconds = 0.1, Rounds = 1, LatencyMs = 20, FetchConcurrency = 1 };

        // Act
        var report = await BenchRunner.RunAsync(options, null, TestContext.Current.CancellationToken);

        // Assert
        Assert.NotNull(report.LimitBesideFetch);
        Assert.Single(report.Notes, n => n.StartsWith(BenchRunner.SlowBesideFetch, StringComparison.Ordinal) && n.EndsWith("limitBesideFetch is optimistic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ServerWithOtherTiles_FailsBeforeMeasuring()
    {
        // Arrange: a server holding five demo tiles where the benchmark holds four: other bytes at most positions.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await BenchTileServer.StartAsync(BenchRunner.RenderDemoTiles(5), TimeSpan.Zero, 0, ct);
        var options = new BenchOptions { ModelPath = InferenceTestData.Model("cv2020-zipmap"), Tiles = 20, DistinctTiles = 4, StageSeconds = 0.1, Rounds = 1, Server = server.XyzTemplate[..server.XyzTemplate.IndexOf("tiles/", StringComparison.Ordinal)] };
        var log = new List<string>();

        // Act
        var error = await Assert.ThrowsAsync<UrbanScoreException>(() => BenchRunner.RunAsync(options, new Progress(log), ct));

        // Assert
        Assert.Contains("serves other tiles than this benchmark holds", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log, line => line.StartsWith("measuring", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://10.0.0.5:8090/", "http://10.0.0.5:8090/tiles/{z}/{x}/{y}.jpg")]
    [InlineData("http://10.0.0.5:8090", "http://10.0.0.5:8090/tiles/{z}/{x}/{y}.jpg")]
    [InlineData("http://10.0.0.5:8090/tiles/{z}/{x}/{y}.jpg", "http://10.0.0.5:8090/tiles/{z}/{x}/{y}.jpg")]
    public void TemplateAt_AddressOrTemplate_GivesTheTileTemplate(string address, string expected)
    {
        // Act
        var template = BenchTileServer.TemplateAt(new Uri(address));

        // Assert
        Assert.Equal(expected, template);
    }

    [Fact]
    public async Task Bench_ServerNotListening_ExitsWithBadInput()
    {
        // Arrange: a port that was free a moment ago, so nothing listens on it.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        // Act
        var (code, _, error) = await CliRun.RunAsync("bench", "--model", InferenceTestData.Model("cv2020-zipmap"), "--server", $"http://127.0.0.1:{port}/", "--tiles", "10");

        // Assert
        Assert.Equal(2, code);
        Assert.Contains($"cannot fetch tiles from http://127.0.0.1:{port}/tiles/{{z}}/{{x}}/{{y}}.jpg", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--server", "ftp://10.0.0.5/", "--tiles", "10", "--server 'ftp://10.0.0.5/' is not an absolute http(s) address")]
    [InlineData("--server", "not a url", "--tiles", "10", "--server 'not a url' is not an absolute http(s) address")]
    [InlineData("--server", "http://127.0.0.1:8090/", "--latency-ms", "5", "--latency-ms is the in-process server's")]
    [InlineData("--server", "http://127.0.0.1:8090/", "--serve", "true", "--serve and --server do not go together")]
    [InlineData("--serve", "true", "--bind", "localhost", "--bind 'localhost' is not an IP address")]
    public async Task Bench_ServerOptionsWrong_ExitsWithBadInput(string option1, string value1, string option2, string value2, string message)
    {
        // Act
        var (code, _, error) = await CliRun.RunAsync("bench", "--model", InferenceTestData.Model("cv2020-zipmap"), option1, value1, option2, value2);

        // Assert
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rounds", "0", "--rounds must be between 1 and 50")]
    [InlineData("--tiles", "-5", "--tiles must be between 1 and 10000000 (0 = sized to the machine)")]
    public async Task Bench_CountOutOfRange_ExitsWithBadInput(string option, string value, string message)
    {
        // Act
        var (code, _, error) = await CliRun.RunAsync("bench", "--model", InferenceTestData.Model("cv2020-zipmap"), option, value);

        // Assert
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_MissingModel_ExitsWithBadInput()
    {
        // Act
        var (code, _, error) = await CliRun.RunAsync("bench", "--model", "no-such-model.onnx", "--tiles", "10");

        // Assert
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, 3, 2000)] // a slow model: the minimum
    [InlineData(2000, 3, 18_000)] // 3 stage lengths of 3 s at the limit's rate
    [InlineData(2000, 0.5, 3000)]
    [InlineData(1e9, 3, 10_000_000)] // at most --tiles' largest value
    public void RoundTiles_LimitRate_RoundLastsThreeStages(double limitTilesPerSecond, double stageSeconds, int expected)
    {
        // Act
        var tiles = BenchRunner.RoundTiles(limitTilesPerSecond, stageSeconds);

        // Assert
        Assert.Equal(expected, tiles);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(1000)]
    public void BenchCover_Count_IsExact(int tiles)
    {
        // Act
        var cover = BenchRunner.BenchCover(tiles);

        // Assert
        Assert.Equal(tiles, cover.Count);
        Assert.Equal(tiles, cover.Enumerate().Distinct().Count());
    }

    /// <summary>Collects log lines synchronously (Progress&lt;T&gt; would post them to the pool, out of order).</summary>
    private sealed class Progress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
