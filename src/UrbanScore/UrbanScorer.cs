using UrbanScore.Inference;
using UrbanScore.Observability;
using UrbanScore.Pipeline;
using UrbanScore.Sources;
using UrbanScore.Wmts;

namespace UrbanScore;

/// <summary>
/// The library's front door: scores an area in one call. It opens the model, the HTTP fetcher and the source, runs
/// <see cref="ScoreJob"/> and disposes what it opened. For your own composition (another source, a scorer kept
/// across runs, a custom sink) call <see cref="ScoreJob.RunAsync"/> or <see cref="ScoringPipeline"/> directly.
/// </summary>
/// <example>
/// <code>
/// var result = await UrbanScorer.ScoreAsync(new ScoreRequest
/// {
///     XyzTemplate = "https://tiles.example.com/{z}/{x}/{y}.jpg",
///     Area = new BoxArea(new BoundingBox(MinX: 8.50, MinY: 47.36, MaxX: 8.56, MaxY: 47.39)),
///     Zoom = 16,
///     ModelPath = "model.onnx",
///     OutputFolder = "out",
/// }, progress: null, cancellationToken);
/// </code>
/// </example>
public static class UrbanScorer
{
    /// <summary>Scores <see cref="ScoreRequest.Area"/> and writes the outputs into <see cref="ScoreRequest.OutputFolder"/>.</summary>
    /// <param name="request">What to score and where to write it.</param>
    /// <param name="progress">Progress reports (about twice a second), or null.</param>
    /// <param name="cancellationToken">Stops the run; what was scored stays in the output folder and a re-run resumes.</param>
    /// <returns>Counts, timings and the path of run.json.</returns>
    /// <exception cref="UrbanScoreException">Bad input: no or two sources, a missing model, a bad area, zoom or label.</exception>
    public static async Task<ScoreJobResult> ScoreAsync(ScoreRequest request, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.XyzTemplate is null) == (request.WmtsCapabilities is null))
        {
            throw new UrbanScoreException("A score request needs exactly one tile source; set XyzTemplate or WmtsCapabilities.");
        }

        if (!File.Exists(request.ModelPath))
        {
            throw new UrbanScoreException($"The model file {request.ModelPath} does not exist; set ModelPath to a Custom Vision ONNX export.");
        }

        using var scorer = new OnnxTileScorer(ModelInspector.Inspect(request.ModelPath, request.LabelsPath), request.Scorer);
        using var fetcher = new HttpTileFetcher(request.Http);
        var (source, level) = await OpenSourceAsync(request, fetcher, cancellationToken).ConfigureAwait(false);
        using var logSink = request.Logger is { } logger ? new LoggingTileSink(logger) : null;
        var options = new ScoreJobOptions
        {
            Area = request.Area,
            Zoom = level,
            OutputFolder = request.OutputFolder,
            PositiveLabel = request.PositiveLabel,
            Palette = request.Palette,
            Force = request.Force,
            Pipeline = request.Pipeline ?? new PipelineOptions { FetchConcurrency = request.Http.Concurrency },
            ExtraSinks = logSink is null ? request.Sinks : [.. request.Sinks, logSink],
        };
        return await ScoreJob.RunAsync(source, scorer, request.ModelPath, options, progress, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(ITileSource Source, int Level)> OpenSourceAsync(ScoreRequest request, HttpTileFetcher fetcher, CancellationToken cancellationToken)
    {
        if (request.XyzTemplate is { } template)
        {
            return (new XyzTileSource(template, fetcher), request.Zoom);
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", request.Http.UserAgent);
        var capabilities = await WmtsCapabilitiesParser.LoadAsync(request.WmtsCapabilities!, client, cancellationToken).ConfigureAwait(false);
        var bounds = request.Area.LonLatBounds;
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions
        {
            Layer = request.Wmts.Layer,
            TileMatrixSet = request.Wmts.TileMatrixSet,
            Style = request.Wmts.Style,
            Format = request.Wmts.Format,
            Dimensions = request.Wmts.Dimensions,
            Zoom = request.Zoom,
            ReferenceLatitude = (bounds.MinY + bounds.MaxY) / 2,
        });

        // Tiles outside the layer's TileMatrixSetLimits need no filter here: the WMTS source answers them "empty"
        // without a request.
        var level = selection.Level ?? throw new UrbanScoreException("No tile matrix of the WMTS layer matches the zoom; choose another Zoom.");
        return (new WmtsTileSource(selection, fetcher), level);
    }
}
