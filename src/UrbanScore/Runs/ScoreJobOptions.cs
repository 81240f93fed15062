using UrbanScore.Geo;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Tiling;

namespace UrbanScore.Runs;

/// <summary>What <see cref="ScoreJob"/> scores and where it writes: area, level, output folder, products.</summary>
public sealed class ScoreJobOptions
{
    /// <summary>The area to score.</summary>
    public required Area Area { get; init; }

    /// <summary>Narrows the cover (e.g. to one shard of N), or null for the whole cover.</summary>
    public Func<ITileCover, ITileCover>? CoverFilter { get; init; }

    /// <summary>Matrix level (the web-mercator zoom for XYZ and GoogleMapsCompatible sources).</summary>
    public required int Zoom { get; init; }

    /// <summary>Output folder: scores.sqlite, scores.csv, heatmap/, heatmap.tif, run.json.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The label whose probability is the score; several joined with '+' are summed ("city+town").</summary>
    public string PositiveLabel { get; init; } = "city";

    /// <summary>Replace a store written by another model or source instead of refusing.</summary>
    public bool Force { get; init; }

    /// <summary>Heatmap colours, pyramid depth, raster resolutions and the published URL.</summary>
    public ProductOptions Products { get; init; } = new();

    /// <summary>Stage sizes of the pipeline.</summary>
    public PipelineOptions Pipeline { get; init; } = new();

    /// <summary>
    /// More receivers of every tile outcome, after the score store and the heatmap writer (e.g. a
    /// <see cref="LoggingTileSink"/>). Borrowed: the caller disposes them.
    /// </summary>
    public IReadOnlyList<ITileSink> ExtraSinks { get; init; } = [];

    /// <summary>The command line to record in run.json (secrets are redacted before writing).</summary>
    public string? CommandLine { get; init; }

    /// <summary>
    /// The model file's SHA-256 (lower-case hex) being computed already (<see cref="ScoreRun"/> hashes the file while
    /// the model opens, off the start-up's critical path), or null to hash it here.
    /// </summary>
    internal Task<string>? ModelSha256 { get; init; }

    /// <summary>
    /// Completes when the scorer can score (<see cref="OpeningTileScorer.Ready"/>: <see cref="ScoreRun"/> starts the
    /// job while ONNX Runtime still builds the session), or null when it can already. The store, the sinks and the
    /// fetch workers start before it; the compute workers after it; a fault fails the run with its reason.
    /// </summary>
    internal Task? ScorerReady { get; init; }
}
