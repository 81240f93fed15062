using Microsoft.Extensions.Logging;
using UrbanScore.Geo;
using UrbanScore.Inference;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Runs;

/// <summary>
/// Everything a scoring run needs: a tile source (an XYZ template, or a WMTS capabilities document and layer), an
/// area, a zoom, a model and an output folder. The other properties have working defaults, the same ones the
/// command line uses. <see cref="ScoreRun.OpenAsync"/> turns it into a run; <see cref="UrbanScorer"/> runs it.
/// </summary>
public sealed class ScoreRequest
{
    /// <summary>XYZ URL template such as <c>https://host/tiles/{z}/{x}/{y}.jpg</c>; set this or <see cref="WmtsCapabilities"/>.</summary>
    public string? XyzTemplate { get; init; }

    /// <summary>WMTS GetCapabilities URL or file; set this or <see cref="XyzTemplate"/>.</summary>
    public string? WmtsCapabilities { get; init; }

    /// <summary>WMTS layer, tile matrix set or matrix, style, format, dimensions and request encoding.</summary>
    public WmtsSelectionChoice Wmts { get; init; } = new();

    /// <summary>The area to score, e.g. <c>new BoxArea(new BoundingBox(MinX: 8.50, MinY: 47.36, MaxX: 8.56, MaxY: 47.39))</c>.</summary>
    public required Area Area { get; init; }

    /// <summary>Score only this part of the area's cover (one of N spatially compact shards), or null for all of it.</summary>
    public Shard? Shard { get; init; }

    /// <summary>Web-mercator zoom (for WMTS: the level whose resolution matches it, unless a tile matrix is named).</summary>
    public required int Zoom { get; init; }

    /// <summary>The Custom Vision ONNX export (model.onnx).</summary>
    public required string ModelPath { get; init; }

    /// <summary>labels.txt for models whose labels are not inside, or null (default: beside the model).</summary>
    public string? LabelsPath { get; init; }

    /// <summary>Output folder: scores.sqlite, scores.csv, heatmap/, heatmap.tif, scores.tif, run.json. Re-running resumes.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The label whose probability is the score; several joined with '+' are summed ("city+town").</summary>
    public string PositiveLabel { get; init; } = "city";

    /// <summary>Replace a store written by another model or source instead of refusing.</summary>
    public bool Force { get; init; }

    /// <summary>Heatmap colours, pyramid depth, raster resolutions and the published URL.</summary>
    public ProductOptions Products { get; init; } = new();

    /// <summary>HTTP politeness: concurrency, rate limit, retries, timeouts, headers (API keys) for tiles and capabilities.</summary>
    public HttpFetchOptions Http { get; init; } = new();

    /// <summary>Execution provider for the model.</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>Tiles per inference call; 0 = chosen from the model and the machine (docs/performance.md).</summary>
    public int BatchSize { get; init; }

    /// <summary>Decode workers; 0 = chosen from the machine (docs/performance.md).</summary>
    public int DecodeWorkers { get; init; }

    /// <summary>More receivers of every tile outcome (borrowed: the caller disposes them).</summary>
    public IReadOnlyList<ITileSink> Sinks { get; init; } = [];

    /// <summary>When set, failed tiles are logged at debug level and a summary every minute at information level.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The command line to record in run.json; secrets (header values, key parameters) are redacted.</summary>
    public string? CommandLine { get; init; }
}
