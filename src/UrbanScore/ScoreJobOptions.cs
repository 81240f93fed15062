using UrbanScore.Geo;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Tiling;

namespace UrbanScore;

/// <summary>What to score and where to write it: the common case of the library API.</summary>
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

    /// <summary>Heatmap colours.</summary>
    public HeatmapPalette Palette { get; init; } = HeatmapPalette.Red;

    /// <summary>Replace a store written by another model or source instead of refusing.</summary>
    public bool Force { get; init; }

    /// <summary>Pixels per tile in heatmap.tif.</summary>
    public int HeatmapPixelsPerTile { get; init; } = 16;

    /// <summary>Pixels per tile in scores.tif (1..256).</summary>
    public int ScorePixelsPerTile { get; init; } = 1;

    /// <summary>Lowest heatmap pyramid level; null = 6 levels above <see cref="Zoom"/> (or 0).</summary>
    public int? MinZoom { get; init; }

    /// <summary>Absolute URL the output folder will be published at (tilejson.json, heatmap-wmts.xml); null = relative URLs.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Stage sizes of the pipeline.</summary>
    public PipelineOptions Pipeline { get; init; } = new();

    /// <summary>
    /// More receivers of every tile outcome, after the score store and the heatmap writer (e.g. a
    /// <see cref="Observability.LoggingTileSink"/>). Borrowed: the caller disposes them.
    /// </summary>
    public IReadOnlyList<ITileSink> ExtraSinks { get; init; } = [];

    /// <summary>The command line to record in run.json (secrets are redacted before writing).</summary>
    public string? CommandLine { get; init; }
}
