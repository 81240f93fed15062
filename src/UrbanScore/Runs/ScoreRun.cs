using System.Globalization;
using UrbanScore.Inference;
using UrbanScore.Pipeline;
using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Wmts;

namespace UrbanScore.Runs;

/// <summary>
/// The one composition of a scoring run: turns a <see cref="ScoreRequest"/> into a running job. It validates the
/// request, opens the model with ONNX Runtime tuned for this machine and model, the HTTP fetcher, and the tile source
/// (for WMTS: the capabilities fetched with the same User-Agent and API-key headers as the tiles, the layer chosen,
/// the zoom resolved to a tile matrix, the cover cut to the layer's limits and to the shard), then runs
/// <see cref="ScoreJob"/>. The command line, the library's <see cref="UrbanScorer"/> and the demo all come through
/// here, so they run identical engines. Owns the scorer and the fetcher: dispose it after the run.
/// </summary>
public sealed class ScoreRun : IDisposable
{
    private readonly ScoreRequest _request;
    private readonly HttpTileFetcher _fetcher;

    // The model opens on a thread of its own (OpenModel) while the source is opened and probed over HTTP: the two are
    // independent and each takes a few hundred milliseconds of a run's start-up. The inspection (which finds every
    // model problem a user can fix) is awaited before the run; the ONNX Runtime session and its first Run are still
    // being built while the run opens its store and starts fetching (OpeningTileScorer).
    private readonly Task<(ModelInfo Info, OnnxScorerOptions Options)> _model;
    private readonly Task<OnnxTileScorer> _scorer;

    // The model file's SHA-256 (the store's identity) is computed beside them too: 25–30 ms with the crypto library's
    // loading, which would otherwise come after the model (benchmarks/results/2026-11-30-fixed-costs.md).
    private readonly Task<string> _modelSha256;
    private readonly WmtsSelection? _selection;

    private ScoreRun(ScoreRequest request, HttpTileFetcher fetcher, Task<(ModelInfo Info, OnnxScorerOptions Options)> model, Task<OnnxTileScorer> scorer, Task<string> modelSha256, ITileSource source, int level, WmtsSelection? selection)
    {
        _request = request;
        _fetcher = fetcher;
        _model = model;
        _scorer = scorer;
        _modelSha256 = modelSha256;
        Source = source;
        Level = level;
        _selection = selection;
    }

    /// <summary>The tile source (its description has secrets redacted).</summary>
    public ITileSource Source { get; private set; }

    /// <summary>The HTTP fetcher of the run (owned by the run): its secrets, retries and outage state.</summary>
    public HttpTileFetcher Fetcher => _fetcher;

    /// <summary>The level of the source's tile matrix set that is scored (the zoom for web-mercator sources).</summary>
    public int Level { get; }

    /// <summary>
    /// Validates <paramref name="request"/>, opens the fetcher and the source, and starts opening the model beside
    /// them. A model that cannot be opened is reported by <see cref="PreflightAsync"/> or <see cref="RunAsync"/>.
    /// </summary>
    /// <exception cref="UrbanScoreException">Bad input: no or two sources, a zoom out of range, a missing model file, a
    /// bad batch size, capabilities that cannot be read, or no tile matrix for the zoom.</exception>
    public static async Task<ScoreRun> OpenAsync(ScoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var (model, scorer) = OpenModel(request);
        var modelSha256 = Task.Run(() => ScoreJob.Sha256Async(request.ModelPath, CancellationToken.None), CancellationToken.None);
        var fetcher = new HttpTileFetcher(request.Http);
        try
        {
            var bounds = request.Area.LonLatBounds;
            var opened = await TileSources.OpenAsync(request.XyzTemplate, request.WmtsCapabilities, request.Wmts, request.Http, fetcher, request.Zoom, (bounds.MinY + bounds.MaxY) / 2, cancellationToken).ConfigureAwait(false);
            return new ScoreRun(request, fetcher, model, scorer, modelSha256, opened.Source, opened.Level, opened.Selection);
        }
        catch
        {
            fetcher.Dispose();
            await ((Task)modelSha256).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

            // A model that cannot be opened is reported first, as when the model was opened before the source.
            (await scorer.ConfigureAwait(false)).Dispose();
            throw;
        }
    }

    /// <summary>
    /// Inspects the model and tunes ONNX Runtime for it (the run's batch size comes from here), then opens it
    /// (<see cref="OpenScorer"/>), on a thread of its own: 200–300 ms of CPU work that would otherwise hold one of the
    /// few pool threads a start-up has, and delay the HTTP continuations of the source's opening, the preflight and the
    /// first fetches (the pool adds threads only slowly).
    /// </summary>
    private static (Task<(ModelInfo Info, OnnxScorerOptions Options)> Model, Task<OnnxTileScorer> Scorer) OpenModel(ScoreRequest request)
    {
        var model = new TaskCompletionSource<(ModelInfo Info, OnnxScorerOptions Options)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var scorer = Task.Factory.StartNew(
            () =>
            {
                ModelInfo info;
                OnnxScorerOptions options;
                try
                {
                    info = ModelInspector.Inspect(request.ModelPath, request.LabelsPath);
                    options = TunedScorerOptions(info, request.Device, request.BatchSize);
                }
                catch (Exception ex)
                {
                    model.SetException(ex);
                    throw;
                }

                model.SetResult((info, options));
                return OpenScorer(info, options);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        return (model.Task, scorer);
    }

    /// <summary>Opens the inspected model tuned for this machine, then runs one batch so the first real one is not slower.</summary>
    private static OnnxTileScorer OpenScorer(ModelInfo model, OnnxScorerOptions options)
    {
        var scorer = new OnnxTileScorer(model, options);
        try
        {
            scorer.WarmUp();
            return scorer;
        }
        catch
        {
            scorer.Dispose();
            throw;
        }
    }

    /// <summary>The model, once opened (it opens beside the source).</summary>
    internal Task<OnnxTileScorer> ScorerOpening => _scorer;

    /// <summary>
    /// ONNX Runtime options for <paramref name="model"/> on this machine (docs/performance.md): the batch size and
    /// intra-op threads from <see cref="PipelineTuning"/> (one single-threaded <c>Run</c> per compute worker, one
    /// worker per core); an explicit <paramref name="batchSize"/> above 0 wins.
    /// </summary>
    internal static OnnxScorerOptions TunedScorerOptions(ModelInfo model, ExecutionDevice device, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        var cores = Environment.ProcessorCount;
        return new OnnxScorerOptions
        {
            Device = device,
            BatchSize = batchSize > 0 ? batchSize : PipelineTuning.BatchSize(cores, model.FixedBatchSize),
            IntraOpThreads = PipelineTuning.IntraOpThreads(cores, model.FixedBatchSize),
            ConcurrentRuns = PipelineTuning.ConcurrentRuns,
            AllowSpinning = false,
        };
    }

    /// <summary>
    /// Pipeline stage sizes on this machine: <paramref name="decodeWorkers"/> (0 = one per core), the fetch concurrency,
    /// and where the stages' wake-ups run for <paramref name="device"/>.
    /// </summary>
    internal static PipelineOptions TunedPipelineOptions(int decodeWorkers, int fetchConcurrency, ExecutionDevice device)
    {
        var cores = Environment.ProcessorCount;
        var workers = decodeWorkers > 0 ? decodeWorkers : PipelineTuning.DecodeWorkers(cores);
        return new()
        {
            DecodeWorkers = workers,
            FetchConcurrency = fetchConcurrency,
            WakeInline = PipelineTuning.WakeInline(workers, cores, device.IsCuda),
        };
    }

    /// <summary>Replaces the opened source by a wrapper of it (the demo world describes itself as such, not as its loopback port).</summary>
    /// <param name="wrap">Takes the opened source and returns the one the run fetches from (and records).</param>
    public void WrapSource(Func<ITileSource, ITileSource> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        Source = wrap(Source);
    }

    /// <summary>
    /// Asks the source for a handful of real tiles of the area (<see cref="SourcePreflight"/>) before the run; the
    /// tiles it got are served to the run without a second request.
    /// </summary>
    /// <exception cref="UrbanScoreException">The source cannot work: unreachable, refusing the key, not sending images;
    /// or the model cannot be opened.</exception>
    public async Task<PreflightResult> PreflightAsync(CancellationToken cancellationToken)
    {
        var cover = _request.Area.Cover(Source.MatrixSet, Level);
        if (CoverFilter(_selection, _request.Shard) is { } filter)
        {
            cover = filter(cover);
        }

        // Both must succeed before the run starts. WhenAll rethrows the first failure in the order given, so a model
        // that cannot be used is reported first, as when the model was opened before the source.
        var preflight = SourcePreflight.RunAsync(Source, cover, _fetcher, cancellationToken);
        await Task.WhenAll(_model, preflight).ConfigureAwait(false);
        var result = await preflight.ConfigureAwait(false);
        Source = result.Source;
        return result;
    }

    /// <summary>Scores the area and writes every output; re-running the same request resumes.</summary>
    /// <exception cref="UrbanScoreException">The model cannot be opened, or bad area, label or output folder.</exception>
    /// <param name="progress">Progress reports (about twice a second), or null.</param>
    /// <param name="cancellationToken">Stops the run; what was scored stays in the output folder.</param>
    public async Task<ScoreJobResult> RunAsync(IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var request = _request;
        using var logSink = request.Logger is { } logger ? new LoggingTileSink(logger) : null;
        var options = new ScoreJobOptions
        {
            Area = request.Area,
            CoverFilter = CoverFilter(_selection, request.Shard),
            Zoom = Level,
            OutputFolder = request.OutputFolder,
            PositiveLabel = request.PositiveLabel,
            Force = request.Force,
            Products = request.Products,
            Pipeline = TunedPipelineOptions(request.DecodeWorkers, request.Http.Concurrency, request.Device),
            ExtraSinks = logSink is null ? request.Sinks : [.. request.Sinks, logSink],
            CommandLine = request.CommandLine is { } line ? _fetcher.Redact(line) : null, // header values too
            ModelSha256 = _modelSha256,
            ScorerReady = _scorer,
        };
        var (model, scorerOptions) = await _model.ConfigureAwait(false);
        using var scorer = new OpeningTileScorer(model, scorerOptions.BatchSize, _scorer);
        return await ScoreJob.RunAsync(Source, scorer, request.ModelPath, options, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _fetcher.Dispose();
        try
        {
            // Waits for a model still opening: its native session is this run's to release.
            _scorer.GetAwaiter().GetResult().Dispose();
        }
#pragma warning disable CA1031 // A model that failed to open holds nothing; its error went to whoever awaited it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static void Validate(ScoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(request.Area);
        ArgumentNullException.ThrowIfNull(request.OutputFolder);
        TileSources.CheckOneSource(request.XyzTemplate, request.WmtsCapabilities);
        WebMercator.CheckZoom(request.Zoom);
        request.Http.Validate();
        OnnxTileScorer.CheckBuildRuns(request.Device); // here, not only when the session is built: that is after the run starts

        if (!File.Exists(request.ModelPath))
        {
            throw new UrbanScoreException($"The model file {request.ModelPath} does not exist; give the path of a Custom Vision ONNX export.")
            { Subject = InputSubject.Model };
        }

        if (request.BatchSize is < 0 or > 4096)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"Batch size {request.BatchSize} is outside 1..4096; give a batch size in that range, or 0 to choose it from the model."))
            { Subject = InputSubject.BatchSize };
        }

        if (request.DecodeWorkers < 0)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"{request.DecodeWorkers} decode workers is not a count; give a positive number, or 0 for one per core."))
            { Subject = InputSubject.DecodeWorkers };
        }
    }

    /// <summary>The cover cut to the WMTS layer's TileMatrixSetLimits, then to the shard; null when neither applies.</summary>
    private static Func<ITileCover, ITileCover>? CoverFilter(WmtsSelection? selection, Shard? shard)
    {
        Func<ITileCover, ITileCover>? limits = selection is null ? null : cover =>
        {
            if (cover is not RangeCover ranges)
            {
                return cover; // the WMTS source answers "empty" without a request for tiles outside the limits
            }

            var kept = ranges.Ranges.Select(selection.Restrict).OfType<TileRange>().ToList();
            return kept.Count > 0
                ? new RangeCover(kept)
                : throw new UrbanScoreException($"The area lies outside the tiles layer {selection.Layer.Identifier} offers at this zoom; choose an area and zoom inside the layer.")
                { Subject = InputSubject.Area };
        };
        if (shard is not { } part)
        {
            return limits;
        }

        return cover => new ShardCover(limits is null ? cover : limits(cover), part);
    }
}
