using System.Diagnostics;
using System.Globalization;
using UrbanScore.Geo;
using UrbanScore.Imaging;
using UrbanScore.Inference;
using UrbanScore.Pipeline;
using UrbanScore.Runs;
using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>
/// <c>urbanscore bench</c>: in one process and with one model and one set of settings, measures decode+preprocess
/// alone (every worker), inference alone (pre-filled tensors, every worker), the per-core limit (every worker decoding
/// and scoring its own batches of tiles held in memory), and a real <see cref="ScoreJob"/> end to end against an
/// in-process loopback <see cref="BenchTileServer"/> (or one in another process or on another machine:
/// <see cref="BenchOptions.Server"/>), then reports the efficiency against the limit and the ideal and
/// per-stage timings. Results are validated before anything is timed.
/// </summary>
public static class BenchRunner
{
    /// <summary>Zoom of the end-to-end run's tiles (any level works: the server answers every tile).</summary>
    private const int BenchZoom = 16;

    /// <summary>
    /// Tiles of the end-to-end warm-up job: about a second of work, so the hot paths are past tiered compilation
    /// (tier-1 after 30 calls and a 100 ms quiet period) before the measured job; with 256 the JIT's background thread
    /// still took ~8% of the CPU during a 3,000-tile measurement (perf record).
    /// </summary>
    private const int WarmUpTiles = 1024;

    /// <summary>Columns per row of the end-to-end run's tile rectangle.</summary>
    private const int BenchColumns = 256;

    /// <summary>The name of the compute workers' kind in <see cref="EndToEndFigures.CpuByThread"/>.</summary>
    private const string ComputeWorkers = "compute workers";

    /// <summary>The start of the note for a limit beside fetching whose server could not keep up.</summary>
    internal const string SlowBesideFetch = "the limit beside fetching fetched ";

    /// <summary>
    /// Length of an automatically sized end-to-end round, in stage lengths (<see cref="BenchOptions.StageSeconds"/>):
    /// three, 9 s by default. Each job pays a one-off start (each compute worker's first batch on a new thread, the
    /// queues filling, the last partial batches) of about 0.15 s on 2 cores; in a 2,000-tile round of the default
    /// model (1.3 s) that was a tenth of the round, and `efficiencyVsLimit` read 0.76 where 20,000-tile rounds of the
    /// same build read 0.82–0.88 (benchmarks/results/2026-12-01-round-length.md). A country-sized run is all steady
    /// state; its start is measured on its own (run.json `timings`).
    /// </summary>
    public const int RoundStages = 3;

    /// <summary>The fewest tiles in an automatically sized end-to-end round (the earlier fixed default).</summary>
    public const int MinimumRoundTiles = 2000;

    /// <summary>Runs the benchmark.</summary>
    /// <param name="options">Model, sizes and settings.</param>
    /// <param name="log">Progress lines, or null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The report.</returns>
    /// <exception cref="UrbanScoreException">Bad options, a model that cannot load, or results that fail validation.</exception>
    public static async Task<BenchReport> RunAsync(BenchOptions options, IProgress<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        var machine = ProcessMeter.Describe();
        var notes = new List<string>();
        NoteBusyMachine(machine, notes);

        log?.Report("preparing tiles");
        var tiles = LoadTiles(options);
        var model = ModelInspector.Inspect(options.ModelPath, options.LabelsPath);
        var automatic = new List<string>();
        var compute = ChooseCompute(options, model, automatic);
        using var scorer = new OnnxTileScorer(model, new OnnxScorerOptions
        {
            Device = options.Device,
            BatchSize = compute.BatchSize,
            IntraOpThreads = compute.IntraOpThreads,
            ConcurrentRuns = PipelineTuning.ConcurrentRuns,
            AllowSpinning = false,
        });

        // First, so that an external server (--server) that is not there, or serves other bytes than the limit decodes,
        // ends the benchmark before anything is measured: the probe checks every answer.
        log?.Report("probing the tile server");
        await using var local = options.Server is null ? await BenchTileServer.StartAsync(tiles, TimeSpan.FromMilliseconds(options.LatencyMs), 0, cancellationToken).ConfigureAwait(false) : null;
        var template = local?.XyzTemplate ?? BenchTileServer.TemplateAt(new Uri(options.Server!));
        var probed = await ProbeLatencyAsync(template, tiles, cancellationToken).ConfigureAwait(false);

        var isolated = MeasureIsolatedStages(scorer, tiles, compute.DecodeWorkers, options.StageSeconds, log, notes, cancellationToken);
        var fetchConcurrency = Choose(options.FetchConcurrency, () => PipelineTuning.FetchConcurrency(isolated.Ideal, probed, Environment.ProcessorCount), "fetchConcurrency", automatic);
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { Concurrency = fetchConcurrency, MaxRetries = 0 });
        var source = new XyzTileSource(template, fetcher);

        // The rounds (and their warm-ups) fetch from the server, or take the same bytes from memory (--from-memory).
        ITileSource jobSource = options.FromMemory ? new MemoryTileSource(tiles) : source;
        log?.Report("measuring fetch");
        var fetch = await MeasureFetchAsync(source, fetchConcurrency, options.StageSeconds, cancellationToken).ConfigureAwait(false);

        // Sized from the limit with fetch: a tiny model whose limit is far above what the loopback HTTP delivers would
        // otherwise get rounds many times longer than intended.
        var roundTiles = Choose(options.Tiles, () => RoundTiles(WithFetch(isolated.LimitBefore.TilesPerSecond, fetch), options.StageSeconds), "tiles", automatic);
        var settings = DescribeSettings(options, model, tiles, roundTiles, compute, scorer, fetchConcurrency, probed, options.FromMemory ? "memory" : local is null ? template : "in process", automatic);

        await WarmUpEndToEndAsync(jobSource, scorer, options, roundTiles, compute, fetchConcurrency, log, cancellationToken).ConfigureAwait(false);
        var limitRuns = new List<StageThroughput> { isolated.LimitBefore };
        var besideRuns = new List<StageThroughput>();
        var rounds = new List<MeasuredRound>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            log?.Report(string.Create(CultureInfo.InvariantCulture, $"measuring end to end ({roundTiles} tiles), round {round} of {options.Rounds}"));
            var metrics = new PipelineMetrics();
            var endToEnd = await MeasureEndToEndAsync(jobSource, scorer, options, roundTiles, compute, fetchConcurrency, metrics, cancellationToken).ConfigureAwait(false);
            log?.Report("measuring the per-core limit again");
            limitRuns.Add(MeasureLimit(scorer, tiles, compute.DecodeWorkers, options.StageSeconds / 2, cancellationToken));
            var around = Pool([limitRuns[^2], limitRuns[^1]]);
            StageThroughput? beside = null;
            if (!options.FromMemory)
            {
                log?.Report("measuring the per-core limit beside fetching");
                beside = await MeasureLimitBesideFetchAsync(scorer, tiles, compute.DecodeWorkers, source, fetchConcurrency, options.StageSeconds / 2, notes, cancellationToken).ConfigureAwait(false);
                besideRuns.Add(beside);
            }

            rounds.Add(new MeasuredRound(
                new BenchRound(
                    around.TilesPerSecond,
                    endToEnd.TilesPerSecond,
                    Math.Round(endToEnd.TilesPerSecond / around.TilesPerSecond, 3),
                    endToEnd.CpuMsPerTile,
                    Math.Round(around.CpuMsPerTile / endToEnd.CpuMsPerTile, 3),
                    beside is null ? null : Math.Round(limitRuns[^1].CpuMsPerTile / beside.CpuMsPerTile, 3),
                    beside is null ? null : Math.Round(beside.CpuMsPerTile / endToEnd.CpuMsPerTile, 3)),
                endToEnd,
                metrics));
        }

        notes.Add(options.FromMemory
            ? "end-to-end tiles handed over from memory (--from-memory): no HTTP client and no tile server in the rounds; set against a run without it for what fetching costs"
            : local is not null
            ? "the tile server runs in the same process: its CPU time is in the end-to-end run's, not in the isolated stages'"
            : "tiles fetched from " + template + ": that server's CPU time is not in this process's figures (cpuEfficiencyVsLimit), but on this machine it still takes CPU from the end-to-end rate");
        return Report(machine, settings, isolated, [.. limitRuns], [.. besideRuns], fetch, rounds, notes);
    }

    /// <summary>Notes a machine already busy before the run: its absolute figures are pessimistic.</summary>
    private static void NoteBusyMachine(BenchMachine machine, List<string> notes)
    {
        var cores = Environment.ProcessorCount;
        if (machine.LoadAverage is { } load && load > 0.5 * cores)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"machine busy before the run: load average {load:0.00} on {cores} cores; absolute figures are pessimistic, ratios within this run hold"));
        }
    }

    /// <summary>The compute settings: each one given, or chosen as the CLI would (and named in <paramref name="automatic"/>).</summary>
    private static ComputeSettings ChooseCompute(BenchOptions options, ModelInfo model, List<string> automatic)
    {
        var cores = Environment.ProcessorCount;
        var batchSize = Choose(options.BatchSize, () => PipelineTuning.BatchSize(cores, model.FixedBatchSize), "batchSize", automatic);
        var decodeWorkers = Choose(options.Threads, () => PipelineTuning.DecodeWorkers(cores), "decodeWorkers", automatic);
        var intraOp = Choose(options.IntraOpThreads, () => PipelineTuning.IntraOpThreads(cores, model.FixedBatchSize), "intraOpThreads", automatic);
        return new ComputeSettings(batchSize, decodeWorkers, intraOp);
    }

    /// <summary>
    /// Validates the model's scores, then measures decode alone, inference alone and the first measurement of the
    /// per-core limit, each on every worker; the ideal is decode and inference back to back.
    /// </summary>
    private static IsolatedStages MeasureIsolatedStages(
        OnnxTileScorer scorer, IReadOnlyList<byte[]> tiles, int workers, double seconds, IProgress<string>? log, List<string> notes, CancellationToken cancellationToken)
    {
        log?.Report("validating");
        var decodedTiles = Validate(scorer, tiles, notes);
        log?.Report("measuring decode");
        var decode = MeasureDecode(scorer.Input, tiles, workers, seconds, cancellationToken);
        log?.Report("measuring inference");
        var inference = MeasureInference(scorer, decodedTiles, workers, seconds, cancellationToken);
        log?.Report("measuring the per-core limit");
        // Half the stage now, and again after each end-to-end round (RunAsync): a load that changes while the benchmark
        // runs then moves the limit and the end-to-end rate alike, instead of the ratio between them.
        var limitBefore = MeasureLimit(scorer, tiles, workers, seconds / 2, cancellationToken);
        var ideal = 1.0 / ((1.0 / decode.TilesPerSecond) + (1.0 / inference.TilesPerSecond));
        return new IsolatedStages(decode, inference, limitBefore, ideal);
    }

    private static BenchSettings DescribeSettings(
        BenchOptions options, ModelInfo model, IReadOnlyList<byte[]> tiles, int roundTiles, ComputeSettings compute, OnnxTileScorer scorer, int fetchConcurrency, TimeSpan probed, string server, List<string> automatic) => new(
        Model: options.ModelPath,
        ModelBatch: model.FixedBatchSize is { } fixedBatch ? fixedBatch.ToString(CultureInfo.InvariantCulture) : "dynamic",
        Device: options.Device.ToString(),
        Tiles: roundTiles,
        DistinctTiles: tiles.Count,
        MeanTileBytes: (int)tiles.Average(t => t.Length),
        BatchSize: compute.BatchSize,
        DecodeWorkers: compute.DecodeWorkers,
        IntraOpThreads: compute.IntraOpThreads,
        ConcurrentRuns: scorer.ConcurrentRuns,
        FetchConcurrency: fetchConcurrency,
        LatencyMs: options.LatencyMs,
        ProbedLatencyMs: Math.Round(probed.TotalMilliseconds, 3),
        Server: server,
        SocketCompletions: Hosting.SocketCompletions.Inline ? "inline" : "thread pool",
        Automatic: automatic);

    /// <summary>
    /// Warm-up jobs until the end-to-end run's hot code is compiled at its final tier (<see cref="JitSettling"/>); each
    /// measured round then starts with the JIT quiet.
    /// </summary>
    private static async Task WarmUpEndToEndAsync(
        ITileSource source, OnnxTileScorer scorer, BenchOptions options, int roundTiles, ComputeSettings compute, int fetchConcurrency, IProgress<string>? log, CancellationToken cancellationToken)
    {
        log?.Report("warming up the end-to-end run");
        for (var round = 0; round < JitSettling.WarmUpRounds; round++)
        {
            // The second round needs only enough tiles for the hot code's calls to be counted (JitSettling).
            var warmUp = round == 0 ? Math.Max(4 * compute.BatchSize, WarmUpTiles) : Math.Max(4 * compute.BatchSize, WarmUpTiles / 4);
            await RunJobAsync(source, scorer, options, Math.Min(roundTiles, warmUp), compute.DecodeWorkers, fetchConcurrency, null, cancellationToken).ConfigureAwait(false);
            await JitSettling.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One measured job, started with the JIT quiet (the previous job's products may have queued promotions); throws
    /// when a tile failed, as the figures would then mean nothing.
    /// </summary>
    private static async Task<EndToEndFigures> MeasureEndToEndAsync(
        ITileSource source, OnnxTileScorer scorer, BenchOptions options, int roundTiles, ComputeSettings compute, int fetchConcurrency, PipelineMetrics metrics, CancellationToken cancellationToken)
    {
        await JitSettling.WaitAsync(cancellationToken).ConfigureAwait(false);
        var endToEnd = await RunJobAsync(source, scorer, options, roundTiles, compute.DecodeWorkers, fetchConcurrency, metrics, cancellationToken).ConfigureAwait(false);
        if (endToEnd.Failed > 0)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"{endToEnd.Failed} of {endToEnd.Tiles} tiles failed in the end-to-end run, so its figures mean nothing; check the model with 'urbanscore classify'{(options.Server is null ? string.Empty : ", and that the tile server at --server is still up")}."));
        }

        return endToEnd;
    }

    /// <summary>The report: every figure, and the efficiencies of the end-to-end run against the limit and the ideals.</summary>
    private static BenchReport Report(
        BenchMachine machine,
        BenchSettings settings,
        IsolatedStages isolated,
        StageThroughput[] limitRuns,
        StageThroughput[] besideRuns,
        StageThroughput fetch,
        List<MeasuredRound> rounds,
        List<string> notes)
    {
        var limit = Pool(limitRuns);

        // The figures of the round at the median ratio, or just below it for an even count (the ratios: Median).
        var ordered = rounds.OrderBy(r => r.Round.EfficiencyVsLimit).ToArray();
        var median = ordered[(ordered.Length - 1) / 2];
        var (endToEnd, metrics) = (median.Figures, median.Metrics);
        var idealWithFetch = WithFetch(isolated.Ideal, fetch);
        var limitWithFetch = WithFetch(limit.TilesPerSecond, fetch);
        return new BenchReport
        {
            Machine = machine,
            Settings = settings,
            Decode = isolated.Decode,
            Inference = isolated.Inference,
            Limit = limit,
            LimitRuns = limitRuns,
            Rounds = [.. rounds.Select(r => r.Round)],
            EfficiencyVsLimit = Median(rounds.Select(r => r.Round.EfficiencyVsLimit)),
            CpuEfficiencyVsLimit = Median(rounds.Select(r => r.Round.CpuEfficiencyVsLimit)),
            IdealTilesPerSecond = Math.Round(isolated.Ideal, 2),
            EndToEnd = endToEnd,
            Efficiency = Math.Round(endToEnd.TilesPerSecond / isolated.Ideal, 3),
            Fetch = fetch,
            IdealWithFetchTilesPerSecond = Math.Round(idealWithFetch, 2),
            EfficiencyWithFetch = Math.Round(endToEnd.TilesPerSecond / idealWithFetch, 3),
            LimitWithFetchTilesPerSecond = Math.Round(limitWithFetch, 2),
            EfficiencyVsLimitWithFetch = Math.Round(endToEnd.TilesPerSecond / limitWithFetch, 3),
            LimitBesideFetch = besideRuns.Length > 0 ? Pool(besideRuns) : null,
            LimitBesideFetchRuns = besideRuns,
            LimitBesideFetchVsLimit = besideRuns.Length > 0 ? Median(rounds.Select(r => r.Round.LimitBesideFetchVsLimit!.Value)) : null,
            CpuEfficiencyVsLimitBesideFetch = besideRuns.Length > 0 ? Median(rounds.Select(r => r.Round.CpuEfficiencyVsLimitBesideFetch!.Value)) : null,
            Stages =
            [
                Timing("fetch (per tile)", metrics.Fetch),
                Timing("decode queue wait (per tile)", metrics.DecodeQueueWait),
                Timing("decode+tensor (per tile)", metrics.Decode),
                Timing("inference (per batch)", metrics.Inference),
                Timing("write to sinks (per tile)", metrics.Write),
            ],
            Notes = notes,
        };
    }

    /// <summary>Renders <paramref name="count"/> distinct demo-world tiles around a city as JPEG (half urban, half not).</summary>
    /// <param name="count">Number of tiles.</param>
    /// <returns>The encoded tiles.</returns>
    public static IReadOnlyList<byte[]> RenderDemoTiles(int count)
    {
        // Around Lyon at zoom 15: city centre, suburbs and countryside within a 16-tile square.
        var centre = WebMercator.TileAt(new LonLat(Lon: 4.835, Lat: 45.76), 15);
        var tiles = new byte[count][];
        Parallel.For(0, count, i =>
        {
            var tile = new TileIndex(Zoom: 15, Col: centre.Col - 8 + (i * 7 % 16), Row: centre.Row - 8 + (i * 5 / 16 % 16));
            tiles[i] = DemoWorldRenderer.Default.RenderJpeg(tile);
        });
        return tiles;
    }

    private static void Check(BenchOptions options)
    {
        if (options.Server is { } server && (!Uri.TryCreate(server, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)))
        {
            throw new UrbanScoreException($"--server '{server}' is not an absolute http(s) address; give what 'urbanscore bench --serve' printed, e.g. http://10.0.0.5:8090/tiles/{{z}}/{{x}}/{{y}}.jpg.");
        }

        if (options.Server is not null && options.LatencyMs > 0)
        {
            throw new UrbanScoreException("--latency-ms is the in-process server's; with --server, pass it to 'urbanscore bench --serve' on the serving side instead.");
        }

        if (!File.Exists(options.ModelPath))
        {
            throw new UrbanScoreException($"The model file {options.ModelPath} does not exist; pass a Custom Vision ONNX export with --model.");
        }

        if (options.Tiles is < 0 or > 10_000_000)
        {
            throw new UrbanScoreException("--tiles must be between 1 and 10000000 (0 = sized to the machine); use a few thousand for a quick figure.");
        }

        if (options.BatchSize < 0 || options.Threads < 0 || options.IntraOpThreads < 0 || options.FetchConcurrency < 0 || options.LatencyMs < 0 || options.DistinctTiles < 1)
        {
            throw new UrbanScoreException("--batch-size, --threads, --intra-op-threads, --fetch-concurrency and --latency-ms cannot be negative (0 = automatic).");
        }

        if (options.Rounds is < 1 or > 50)
        {
            throw new UrbanScoreException("--rounds must be between 1 and 50; 3 gives a median that a single slow round does not move.");
        }

        if (options.StageSeconds is <= 0 or > 600)
        {
            throw new UrbanScoreException("--stage-seconds must be above 0 and at most 600.");
        }
    }

    private static int Choose(int given, Func<int> automatic, string name, List<string> automaticNames)
    {
        if (given > 0)
        {
            return given;
        }

        automaticNames.Add(name);
        return automatic();
    }

    private static IReadOnlyList<byte[]> LoadTiles(BenchOptions options)
    {
        if (options.ImageFiles is not { Count: > 0 } files)
        {
            return RenderDemoTiles(options.DistinctTiles);
        }

        var missing = files.FirstOrDefault(f => !File.Exists(f));
        if (missing is not null)
        {
            throw new UrbanScoreException($"The image file {missing} does not exist; pass existing JPEG or PNG tiles with --images.");
        }

        return [.. files.Select(File.ReadAllBytes)];
    }

    /// <summary>Decodes every served tile and checks that batched and one-at-a-time scores agree; returns the tensors.</summary>
    private static float[][] Validate(OnnxTileScorer scorer, IReadOnlyList<byte[]> tiles, List<string> notes)
    {
        var perImage = scorer.Input.ValuesPerImage;
        var classes = scorer.Labels.Count;
        using var preprocessor = new TilePreprocessor(scorer.Input);
        var decoded = new List<float[]>();
        foreach (var tile in tiles)
        {
            var tensor = new float[perImage];
            if (preprocessor.Fill(tile, tensor).Status == DecodeStatus.Image)
            {
                decoded.Add(tensor);
            }
        }

        if (decoded.Count == 0)
        {
            throw new UrbanScoreException("None of the benchmark tiles decodes to an image; pass JPEG or PNG tiles with --images.");
        }

        if (decoded.Count < tiles.Count)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{tiles.Count - decoded.Count} of {tiles.Count} served tiles are blank or invalid (counted as empty or failed)"));
        }

        var count = Math.Min(scorer.MaxBatchSize, decoded.Count);
        var batch = new float[count * perImage];
        for (var i = 0; i < count; i++)
        {
            decoded[i].CopyTo(batch, i * perImage);
        }

        var batched = new float[count * classes];
        scorer.Score(batch, count, batched);
        var single = new float[classes];
        for (var i = 0; i < count; i++)
        {
            scorer.Score(decoded[i], 1, single);
            for (var k = 0; k < classes; k++)
            {
                var b = batched[(i * classes) + k];
                if (!float.IsFinite(b) || b < 0 || b > 1 || Math.Abs(b - single[k]) > 1e-3f)
                {
                    throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"Validation failed: image {i} label {scorer.Labels[k]} scores {b} in a batch of {count} but {single[k]} alone; the figures would be meaningless, so check the model with 'urbanscore classify'."));
                }
            }
        }

        return [.. decoded];
    }

    private static StageThroughput MeasureDecode(ModelInputSpec spec, IReadOnlyList<byte[]> tiles, int workers, double seconds, CancellationToken cancellationToken) =>
        MeasureOnWorkers(workers, seconds, "bench-decode", worker =>
        {
            var preprocessor = new TilePreprocessor(spec);
            var tensor = new float[spec.ValuesPerImage];
            var next = worker * 7;
            return new WorkerLoop(
                () =>
                {
                    preprocessor.Fill(tiles[next++ % tiles.Count], tensor);
                    return 1;
                },
                tiles.Count,
                preprocessor);
        }, cancellationToken);

    private static StageThroughput MeasureInference(OnnxTileScorer scorer, float[][] decoded, int workers, double seconds, CancellationToken cancellationToken) =>
        MeasureOnWorkers(workers, seconds, "bench-inference", worker =>
        {
            var batchSize = scorer.MaxBatchSize;
            var perImage = scorer.Input.ValuesPerImage;
            var input = GC.AllocateUninitializedArray<float>(batchSize * perImage, pinned: true);
            for (var i = 0; i < batchSize; i++)
            {
                decoded[(worker + i) % decoded.Length].CopyTo(input, i * perImage);
            }

            var scores = new float[batchSize * scorer.Labels.Count];
            return new WorkerLoop(
                () =>
                {
                    scorer.Score(input, batchSize, scores);
                    return batchSize;
                },
                3,
                null);
        }, cancellationToken);

    /// <summary>
    /// The per-core limit: each worker decodes a batch of in-memory tiles into its own pinned buffer and scores it on
    /// its own thread, then the next; no channel, no HTTP, no sink. Blank or invalid tiles are skipped, as the
    /// pipeline would not score them either.
    /// </summary>
    private static StageThroughput MeasureLimit(OnnxTileScorer scorer, IReadOnlyList<byte[]> tiles, int workers, double seconds, CancellationToken cancellationToken, PacedFetcher? fetching = null) =>
        MeasureOnWorkers(workers, seconds, "bench-limit", worker =>
        {
            var batchSize = scorer.MaxBatchSize;
            var perImage = scorer.Input.ValuesPerImage;
            var preprocessor = new TilePreprocessor(scorer.Input);
            var input = GC.AllocateUninitializedArray<float>(batchSize * perImage, pinned: true);
            var scores = new float[batchSize * scorer.Labels.Count];
            var next = worker * 7;
            return new WorkerLoop(
                () =>
                {
                    var filled = 0;
                    for (var attempts = 0; filled < batchSize && attempts < 2 * batchSize; attempts++)
                    {
                        if (preprocessor.Fill(tiles[next++ % tiles.Count], input.AsSpan(filled * perImage, perImage)).Status == DecodeStatus.Image)
                        {
                            filled++;
                        }
                    }

                    if (filled > 0)
                    {
                        scorer.Score(input, filled, scores);
                        fetching?.Scored(filled);
                    }

                    return filled;
                },
                Math.Max(3, tiles.Count / batchSize),
                preprocessor);
        }, cancellationToken);

    /// <summary>
    /// The per-core limit with the HTTP work a pipeline does beside it: the same loop, and one tile fetched from
    /// <paramref name="source"/> (and dropped) for each tile scored, <paramref name="concurrency"/> in flight, refilled
    /// in bursts of half the pipeline's fetched-tile queue (<see cref="PacedFetcher"/>). The process's CPU per tile
    /// here is what any pipeline that fetches over this network from this server must at least spend: the HTTP
    /// client's own CPU and what the requests, their wake-ups and the server (in another process on the same cores,
    /// too) take from decode and inference. Measured, unlike <see cref="BenchReport.LimitWithFetchTilesPerSecond"/>,
    /// which adds fetching's CPU alone. A server too slow to keep up (its latency, at this concurrency) leaves tiles
    /// unfetched: a note then says the figure is optimistic.
    /// </summary>
    private static async Task<StageThroughput> MeasureLimitBesideFetchAsync(
        OnnxTileScorer scorer, IReadOnlyList<byte[]> tiles, int workers, ITileSource source, int concurrency, double seconds, List<string> notes, CancellationToken cancellationToken)
    {
        StageThroughput measured;
        var fetching = new PacedFetcher(source, concurrency, new PipelineOptions().ChannelCapacity / 2, cancellationToken);
        await using (fetching.ConfigureAwait(false))
        {
            measured = MeasureLimit(scorer, tiles, workers, seconds, cancellationToken, fetching);
        }

        // Over the whole stage, warm-up included; one burst (32 tiles) behind is the gate's normal lag.
        var share = fetching.Fetched / (double)Math.Max(1, fetching.ScoredTiles);
        if (share < 0.95 && !notes.Exists(n => n.StartsWith(SlowBesideFetch, StringComparison.Ordinal)))
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{SlowBesideFetch}{share:0.00} tiles per tile scored (the server's latency at {concurrency} in flight): limitBesideFetch is optimistic"));
        }

        return measured;
    }

    /// <summary>
    /// Runs one loop per worker thread for <paramref name="seconds"/> after every loop's warm-up, and returns the
    /// tiles per second and the process CPU per tile over the measured window.
    /// </summary>
    private static StageThroughput MeasureOnWorkers(int workers, double seconds, string name, Func<int, WorkerLoop> create, CancellationToken cancellationToken)
    {
        using var start = new Barrier(workers + 1);
        var counts = new long[workers];
        var stop = 0;
        var threads = new Thread[workers];
        for (var w = 0; w < workers; w++)
        {
            var worker = w;
            threads[w] = new Thread(() =>
            {
                var loop = create(worker);
                try
                {
                    // Warm-up, so code is jitted and buffers sized before the clock starts; between rounds the main
                    // thread waits for the JIT to go quiet (JitSettling).
                    for (var round = 0; round < JitSettling.WarmUpRounds; round++)
                    {
                        for (var i = 0; i < loop.WarmUpSteps; i++)
                        {
                            loop.Step();
                        }

                        start.SignalAndWait(cancellationToken);
                        start.SignalAndWait(cancellationToken);
                    }

                    long done = 0;
                    while (Volatile.Read(ref stop) == 0)
                    {
                        done += loop.Step();
                    }

                    counts[worker] = done;
                }
                finally
                {
                    loop.Owned?.Dispose();
                }
            })
            { IsBackground = true, Name = name };
            threads[w].Start();
        }

        for (var round = 0; round < JitSettling.WarmUpRounds; round++)
        {
            start.SignalAndWait(cancellationToken);
            JitSettling.Wait(cancellationToken);
            start.SignalAndWait(cancellationToken);
        }

        var cpu = ProcessMeter.CpuTime();
        var clock = Stopwatch.StartNew();
        cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref stop, 1);
        foreach (var thread in threads)
        {
            thread.Join();
        }

        clock.Stop();
        cancellationToken.ThrowIfCancellationRequested();
        return Throughput(counts.Sum(), clock.Elapsed, ProcessMeter.CpuTime() - cpu);
    }

    /// <summary>
    /// Fetches tiles over HTTP with <paramref name="concurrency"/> requests in flight and drops them: the CPU cost of
    /// the HTTP client per tile, plus the server's when it runs in this process (with server latency, a latency-bound rate instead).
    /// </summary>
    private static async Task<StageThroughput> MeasureFetchAsync(XyzTileSource source, int concurrency, double seconds, CancellationToken cancellationToken)
    {
        long next = 0;
        var stop = 0;
        async Task<long> WorkerAsync(bool measured)
        {
            long done = 0;
            while (measured ? Volatile.Read(ref stop) == 0 : done < 16)
            {
                var i = Interlocked.Increment(ref next);
                var fetched = await source.FetchAsync(FetchedTile(i), cancellationToken).ConfigureAwait(false);
                fetched.ReturnBuffer();
                done++;
            }

            return done;
        }

        // Warm-up: every connection opened and the code jitted (and re-jitted, JitSettling) before the clock starts.
        for (var round = 0; round < JitSettling.WarmUpRounds; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkerAsync(false), cancellationToken))).ConfigureAwait(false);
            await JitSettling.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var cpu = ProcessMeter.CpuTime();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkerAsync(true), cancellationToken)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref stop, 1);
        var counts = await Task.WhenAll(workers).ConfigureAwait(false);
        clock.Stop();
        return Throughput(counts.Sum(), clock.Elapsed, ProcessMeter.CpuTime() - cpu);
    }

    /// <summary>
    /// The <paramref name="index"/>-th tile fetched outside a job (the fetch stage, the limit beside fetching): rows of
    /// <see cref="BenchColumns"/> at the bench's zoom, wrapping after 4,096 rows.
    /// </summary>
    internal static TileIndex FetchedTile(long index) =>
        new(Zoom: BenchZoom, Col: (int)(index % BenchColumns), Row: (int)(index / BenchColumns % 4096));

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count), to 3 decimals.</summary>
    private static double Median(IEnumerable<double> values)
    {
        var ordered = values.Order().ToArray();
        return Math.Round((ordered[(ordered.Length - 1) / 2] + ordered[ordered.Length / 2]) / 2, 3);
    }

    /// <summary>Several measurements of one stage as one: tiles and seconds added, CPU weighted by each one's share.</summary>
    private static StageThroughput Pool(StageThroughput[] runs)
    {
        var tiles = runs.Sum(r => r.Tiles);

        // Each run's wall time from its tiles and rate, not its Seconds: those are rounded to the millisecond, half a
        // per cent of a 0.1 s stage, enough to put the pooled rate outside the runs' own.
        var seconds = runs.Sum(r => r.Tiles / r.TilesPerSecond);
        var cpuSeconds = runs.Sum(r => r.CpuMsPerTile * r.Tiles / 1000);
        return Throughput(tiles, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(cpuSeconds));
    }

    private static StageThroughput Throughput(long tiles, TimeSpan wall, TimeSpan cpu) => new(
        TilesPerSecond: Math.Round(tiles / wall.TotalSeconds, 2),
        Tiles: tiles,
        Seconds: Math.Round(wall.TotalSeconds, 3),
        CpuUtilisation: Math.Round(cpu.TotalSeconds / wall.TotalSeconds / Environment.ProcessorCount, 3),
        CpuMsPerTile: Math.Round(cpu.TotalMilliseconds / Math.Max(1, tiles), 4));

    /// <summary>
    /// Median latency of 64 requests, 4 at a time: what the fetch concurrency is sized from. Each answer must be the
    /// tile this process holds for that position (the limit decodes those): an external server with other tiles, or
    /// none, ends the benchmark with the reason.
    /// </summary>
    private static async Task<TimeSpan> ProbeLatencyAsync(string template, IReadOnlyList<byte[]> tiles, CancellationToken cancellationToken)
    {
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { Concurrency = 4, MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(10) });
        var source = new XyzTileSource(template, fetcher);
        var histogram = new LatencyHistogram();
        await Parallel.ForAsync(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            var fetched = await source.FetchAsync(new TileIndex(Zoom: BenchZoom, Col: i, Row: 0), ct).ConfigureAwait(false);
            histogram.RecordSince(started);
            try
            {
                if (!fetched.HasImage)
                {
                    throw new UrbanScoreException($"The benchmark cannot fetch tiles from {template} ({fetched.Reason}); start 'urbanscore bench --serve' there, or leave out --server to use an in-process server.");
                }

                if (!fetched.Bytes.SequenceEqual(BenchTileServer.TileFor(tiles, i, 0)))
                {
                    throw new UrbanScoreException($"The tile server at {template} serves other tiles than this benchmark holds; start it with 'urbanscore bench --serve' and the same --images as here (or none on both sides).");
                }
            }
            finally
            {
                fetched.ReturnBuffer();
            }
        }).ConfigureAwait(false);
        return histogram.Percentile(50);
    }

    private static async Task<EndToEndFigures> RunJobAsync(
        ITileSource source,
        OnnxTileScorer scorer,
        BenchOptions options,
        int tiles,
        int decodeWorkers,
        int fetchConcurrency,
        PipelineMetrics? metrics,
        CancellationToken cancellationToken)
    {
        var folder = options.OutputFolder is { } given && metrics is not null ? given : Path.Combine(Path.GetTempPath(), "urbanscore-bench-" + Guid.NewGuid().ToString("N"));
        var cover = BenchCover(tiles);
        var first = cover.Ranges[0];
        var north = WebMercator.TileNorthWest(new TileIndex(Zoom: BenchZoom, Col: first.MinCol, Row: first.MinRow));
        var south = WebMercator.TileNorthWest(new TileIndex(Zoom: BenchZoom, Col: first.MinCol + 1, Row: first.MinRow + 1));
        var inset = (south.Lon - north.Lon) / 4;
        var jobOptions = new ScoreJobOptions
        {
            Area = new BoxArea(new BoundingBox(MinX: north.Lon + inset, MinY: south.Lat + inset, MaxX: south.Lon - inset, MaxY: north.Lat - inset)),
            CoverFilter = _ => cover,
            Zoom = BenchZoom,
            OutputFolder = folder,
            PositiveLabel = options.PositiveLabel ?? (scorer.Labels.Contains("city", StringComparer.OrdinalIgnoreCase) ? "city" : scorer.Labels[0]),
            Force = true,
            Pipeline = new PipelineOptions
            {
                DecodeWorkers = decodeWorkers,
                FetchConcurrency = fetchConcurrency,
                Metrics = metrics,
                WakeInline = PipelineTuning.WakeInline(decodeWorkers, Environment.ProcessorCount, options.Device.IsCuda),
            },
        };

        var watch = new PipelineWatch(kernelPeak: ProcessMeter.ResetPeak());
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(() => watch.SampleAsync(sampling.Token), CancellationToken.None);
        // The process's CPU first and each thread's after it, and the other way round at the finish, so that every
        // thread's reading falls inside the process's: the compute workers' remainder never loses CPU that other
        // threads spent while the readings were taken.
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var collections = GC.CollectionCount(0);
        var workItems = ThreadPool.CompletedWorkItemCount;
        var cpu = ProcessMeter.CpuTime();
        var threads = ProcessMeter.ThreadTimes();
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await ScoreJob.RunAsync(source, scorer, options.ModelPath, jobOptions, watch, cancellationToken).ConfigureAwait(false);
            clock.Stop();
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            var pipelineWall = watch.FinishedAt ?? clock.Elapsed;
            var pipelineCpu = (watch.CpuAtFinish ?? ProcessMeter.CpuTime()) - cpu;
            var p = result.Pipeline;
            return new EndToEndFigures(
                TilesPerSecond: Math.Round(p.TilesPerSecond, 2),
                Tiles: p.Total,
                Scored: p.Scored,
                Failed: p.Failed,
                PipelineSeconds: Math.Round(p.Elapsed.TotalSeconds, 3),
                JobSeconds: Math.Round(clock.Elapsed.TotalSeconds, 3),
                Batches: p.Batches,
                CpuUtilisation: Math.Round(pipelineCpu.TotalSeconds / pipelineWall.TotalSeconds / Environment.ProcessorCount, 3),
                CpuMsPerTile: Math.Round(pipelineCpu.TotalMilliseconds / Math.Max(1, p.Total), 4),
                PeakRssMiB: Math.Round(watch.PeakRssBytes / 1048576.0, 1),
                PeakRssJobMiB: Math.Round(ProcessMeter.PeakResidentBytes() / 1048576.0, 1),
                CpuByThread: CpuByThread(threads, watch.ThreadsAtFinish, pipelineCpu, p.Total),
                AllocatedBytesPerTile: Math.Round(((watch.AllocatedAtFinish ?? GC.GetTotalAllocatedBytes(precise: false)) - allocated) / (double)Math.Max(1, p.Total), 1),
                Gen0Collections: (watch.Gen0AtFinish ?? GC.CollectionCount(0)) - collections,
                PoolWorkItemsPerTile: Math.Round(((watch.WorkItemsAtFinish ?? ThreadPool.CompletedWorkItemCount) - workItems) / (double)Math.Max(1, p.Total), 3));
        }
        finally
        {
            await sampling.CancelAsync().ConfigureAwait(false);
            if (options.OutputFolder is null || metrics is null)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // A temporary folder left behind is harmless.
                }
            }
        }
    }

    /// <summary>
    /// The pipeline's CPU split by kind of thread, from each live thread's CPU time at the start and at the end of the
    /// pipeline (<see cref="ProcessMeter.ThreadTimes"/>), grouped by the names .NET gives its threads. The compute
    /// workers are what the process spent less the other kinds: they are the job's own threads and may have ended by
    /// the time the last outcome is counted. Empty where threads cannot be read (not Linux).
    /// </summary>
    private static ThreadCpu[] CpuByThread(Dictionary<int, ThreadReading> before, Dictionary<int, ThreadReading>? after, TimeSpan pipelineCpu, long tiles)
    {
        if (before.Count == 0 || after is null || tiles == 0)
        {
            return [];
        }

        // What each thread did between the readings; a thread started in between counts from zero.
        var spent = after.Select(t => before.TryGetValue(t.Key, out var b) && b.Name == t.Value.Name
            ? t.Value with { CpuNs = t.Value.CpuNs - b.CpuNs, Slices = t.Value.Slices - b.Slices }
            : t.Value).ToArray();
        var byKind = spent
            .GroupBy(t => t.Name switch
            {
                ".NET Long Runni" => ComputeWorkers, // LongRunning tasks: 15-character thread names
                ".NET TP Worker" => "thread pool (HTTP client, tile server, sinks)",
                ".NET Sockets" => "socket engine (epoll)",
                ".NET Tiered Com" => "JIT compiler",
                _ => "other runtime threads",
            })
            .ToDictionary(g => g.Key, g => (CpuMs: g.Sum(t => t.CpuNs) / 1e6, Slices: g.Sum(t => t.Slices)));
        byKind.Remove(ComputeWorkers);

        // The compute workers' CPU is what the process spent less the other kinds: they may have ended by the time the
        // last outcome is counted, so their own readings are incomplete.
        var compute = Math.Max(0, pipelineCpu.TotalMilliseconds - byKind.Values.Sum(k => k.CpuMs));
        return
        [
            new ThreadCpu(ComputeWorkers, Math.Round(compute / tiles, 4), SlicesPerTile: null),
            .. byKind.OrderByDescending(k => k.Value.CpuMs).Select(k => new ThreadCpu(k.Key, Math.Round(k.Value.CpuMs / tiles, 4), Math.Round(k.Value.Slices / (double)tiles, 3))),
        ];
    }

    /// <summary>
    /// <paramref name="tilesPerSecond"/> with fetching's CPU cost per tile added: 1/(1/rate + 1/fetch). The fetch term is
    /// its CPU cost (rate ÷ CPU share): with server latency, fetching alone is latency-bound and leaves the cores idle,
    /// which the pipeline fills with decode and inference.
    /// </summary>
    private static double WithFetch(double tilesPerSecond, StageThroughput fetch)
    {
        var fetchCpuRate = fetch.TilesPerSecond / Math.Max(0.01, fetch.CpuUtilisation);
        return 1.0 / ((1.0 / tilesPerSecond) + (1.0 / fetchCpuRate));
    }

    /// <summary>
    /// Tiles in an automatically sized end-to-end round: what the pipeline is expected to score in
    /// <see cref="RoundStages"/> stage lengths, at least <see cref="MinimumRoundTiles"/> and at most --tiles' largest
    /// value.
    /// </summary>
    /// <param name="tilesPerSecond">The expected rate: the per-core limit measured before the rounds, with fetch.</param>
    /// <param name="stageSeconds"><see cref="BenchOptions.StageSeconds"/>.</param>
    internal static int RoundTiles(double tilesPerSecond, double stageSeconds) =>
        (int)Math.Clamp(Math.Ceiling(tilesPerSecond * RoundStages * stageSeconds), MinimumRoundTiles, 10_000_000);

    /// <summary>Exactly <paramref name="tiles"/> tiles: full rows of <see cref="BenchColumns"/> and a partial last row.</summary>
    internal static RangeCover BenchCover(int tiles)
    {
        const int firstCol = 20_000;
        const int firstRow = 30_000;
        var fullRows = tiles / BenchColumns;
        var rest = tiles % BenchColumns;
        var ranges = new List<TileRange>();
        if (fullRows > 0)
        {
            ranges.Add(new TileRange(Zoom: BenchZoom, MinCol: firstCol, MinRow: firstRow, MaxCol: firstCol + BenchColumns - 1, MaxRow: firstRow + fullRows - 1));
        }

        if (rest > 0)
        {
            ranges.Add(new TileRange(Zoom: BenchZoom, MinCol: firstCol, MinRow: firstRow + fullRows, MaxCol: firstCol + rest - 1, MaxRow: firstRow + fullRows));
        }

        return new RangeCover(ranges);
    }

    private static StageTiming Timing(string stage, LatencyHistogram histogram) => new(
        Stage: stage,
        Count: histogram.Count,
        MeanMs: Math.Round(histogram.Mean.TotalMilliseconds, 3),
        P50Ms: Math.Round(histogram.Percentile(50).TotalMilliseconds, 3),
        P95Ms: Math.Round(histogram.Percentile(95).TotalMilliseconds, 3),
        TotalSeconds: Math.Round(histogram.Total.TotalSeconds, 3));

    /// <summary>The compute settings of every measurement: tiles per batch, decode workers, ORT threads per run.</summary>
    private readonly record struct ComputeSettings(int BatchSize, int DecodeWorkers, int IntraOpThreads);

    /// <summary>The stages measured alone, the limit's first measurement, and the ideal rate of decode and inference back to back (tiles/s).</summary>
    private sealed record IsolatedStages(StageThroughput Decode, StageThroughput Inference, StageThroughput LimitBefore, double Ideal);

    /// <summary>One measured round: what the report shows of it, its full figures and its stage timings.</summary>
    private sealed record MeasuredRound(BenchRound Round, EndToEndFigures Figures, PipelineMetrics Metrics);

    /// <summary>One worker's measured step (returns the tiles it did) and what the worker owns.</summary>
    private sealed record WorkerLoop(Func<int> Step, int WarmUpSteps, IDisposable? Owned);

    /// <summary>
    /// Watches a job's progress for the end of its pipeline, and its peak RSS: the kernel's (VmHWM, reset before the job)
    /// read when the pipeline finishes, or where it cannot be reset, RSS sampled every 25 ms while the pipeline runs.
    /// Sampling is the fallback only: at 40 wake-ups a second it cost the thread pool ~0.025 ms per SqueezeNet tile,
    /// a tenth of the pool's time in the run it measured (benchmarks/results/2026-12-01-round-length.md).
    /// </summary>
    /// <param name="kernelPeak">Whether the kernel's peak was reset for this job (<see cref="ProcessMeter.ResetPeak"/>).</param>
    private sealed class PipelineWatch(bool kernelPeak) : IProgress<PipelineProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _peak;
        private volatile bool _finished;

        public TimeSpan? FinishedAt { get; private set; }

        public TimeSpan? CpuAtFinish { get; private set; }

        /// <summary>Every live thread's CPU time when the pipeline finished (<see cref="ProcessMeter.ThreadTimes"/>).</summary>
        public Dictionary<int, ThreadReading>? ThreadsAtFinish { get; private set; }

        public long PeakRssBytes => Interlocked.Read(ref _peak);

        /// <summary>The process's managed allocation so far when the pipeline finished (bytes; each thread's
        /// allocation context counted whole, so within a few KiB per thread).</summary>
        public long? AllocatedAtFinish { get; private set; }

        /// <summary>Generation-0 collections so far when the pipeline finished.</summary>
        public int? Gen0AtFinish { get; private set; }

        /// <summary>Thread-pool work items completed so far when the pipeline finished.</summary>
        public long? WorkItemsAtFinish { get; private set; }

        public void Report(PipelineProgress value)
        {
            if (!_finished && value.Total is { } total && value.Done >= total)
            {
                ThreadsAtFinish = ProcessMeter.ThreadTimes();
                CpuAtFinish = ProcessMeter.CpuTime();
                AllocatedAtFinish = GC.GetTotalAllocatedBytes(precise: false);
                Gen0AtFinish = GC.CollectionCount(0);
                WorkItemsAtFinish = ThreadPool.CompletedWorkItemCount;
                FinishedAt = _clock.Elapsed;
                Sample();
                _finished = true;
            }
        }

        public async Task SampleAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (!_finished && !kernelPeak)
                {
                    Sample();
                    await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // Sampling ends with the job.
            }
        }

        private void Sample()
        {
            var rss = kernelPeak ? ProcessMeter.PeakResidentBytes() : ProcessMeter.ResidentBytes();
            if (rss > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, rss);
            }
        }
    }
}
