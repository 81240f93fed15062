namespace UrbanScore.Rendering;

/// <summary>Settings that <c>urbanscore render</c> changes; null keeps what the run's store recorded.</summary>
public sealed class RenderOverrides
{
    /// <summary>Heatmap colour map: red, viridis or magma.</summary>
    public string? Colormap { get; init; }

    /// <summary>Scores below this are transparent (0..1).</summary>
    public float? Threshold { get; init; }

    /// <summary>Lowest heatmap pyramid level.</summary>
    public int? MinZoom { get; init; }

    /// <summary>Pixels per tile in scores.tif (1..256).</summary>
    public int? ScorePixelsPerTile { get; init; }

    /// <summary>Pixels per tile in heatmap.tif (1..256).</summary>
    public int? HeatmapPixelsPerTile { get; init; }

    /// <summary>Absolute URL the output folder is published at, for tilejson.json and heatmap-wmts.xml.</summary>
    public string? BaseUrl { get; init; }
}
