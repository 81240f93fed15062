using Microsoft.Extensions.Logging;
using UrbanScore.Geo;
using UrbanScore.Inference;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Sources;

namespace UrbanScore;

/// <summary>
/// Everything <see cref="UrbanScorer.ScoreAsync"/> needs for the common case: a tile source (an XYZ template, or a
/// WMTS capabilities document and layer), an area, a zoom, a model and an output folder. The other properties have
/// working defaults.
/// </summary>
public sealed class ScoreRequest
{
    /// <summary>XYZ URL template such as <c>https://host/tiles/{z}/{x}/{y}.jpg</c>; set this or <see cref="WmtsCapabilities"/>.</summary>
    public string? XyzTemplate { get; init; }

    /// <summary>WMTS GetCapabilities URL or file; set this or <see cref="XyzTemplate"/>.</summary>
    public string? WmtsCapabilities { get; init; }

    /// <summary>WMTS layer identifier (needed when the service offers several), and the rest of the WMTS choice.</summary>
    public WmtsSelectionChoice Wmts { get; init; } = new();

    /// <summary>The area to score, e.g. <c>new BoxArea(new BoundingBox(MinX: 8.50, MinY: 47.36, MaxX: 8.56, MaxY: 47.39))</c>.</summary>
    public required Area Area { get; init; }

    /// <summary>Web-mercator zoom (for WMTS: the level whose resolution matches it).</summary>
    public required int Zoom { get; init; }

    /// <summary>The Custom Vision ONNX export (model.onnx).</summary>
    public required string ModelPath { get; init; }

    /// <summary>labels.txt for models whose labels are not inside, or null (default: beside the model).</summary>
    public string? LabelsPath { get; init; }

    /// <summary>Output folder: scores.sqlite, scores.csv, heatmap/, heatmap.tif, scores.tif, run.json. Re-running resumes.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The label whose probability is the score; several joined with '+' are summed ("city+town").</summary>
    public string PositiveLabel { get; init; } = "city";

    /// <summary>Heatmap colours.</summary>
    public HeatmapPalette Palette { get; init; } = HeatmapPalette.Red;

    /// <summary>Replace a store written by another model or source instead of refusing.</summary>
    public bool Force { get; init; }

    /// <summary>HTTP politeness: concurrency, rate limit, retries, timeouts, headers (API keys).</summary>
    public HttpFetchOptions Http { get; init; } = new();

    /// <summary>Inference device and batch size.</summary>
    public OnnxScorerOptions Scorer { get; init; } = new();

    /// <summary>Decode workers and channel sizes; null: derived from <see cref="Http"/> and the machine.</summary>
    public PipelineOptions? Pipeline { get; init; }

    /// <summary>More receivers of every tile outcome (borrowed: the caller disposes them).</summary>
    public IReadOnlyList<ITileSink> Sinks { get; init; } = [];

    /// <summary>When set, failed tiles are logged at debug level and a summary every minute at information level.</summary>
    public ILogger? Logger { get; init; }
}
