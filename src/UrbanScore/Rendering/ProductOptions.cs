namespace UrbanScore.Rendering;

/// <summary>How the products of a run look: heatmap colours, pyramid depth, raster resolutions, published URL.</summary>
public sealed class ProductOptions
{
    /// <summary>Heatmap colours.</summary>
    public HeatmapPalette Palette { get; init; } = HeatmapPalette.Red;

    /// <summary>Lowest heatmap pyramid level; null = 6 levels above the scored level (or 0).</summary>
    public int? MinZoom { get; init; }

    /// <summary>Pixels per tile in scores.tif (1..256).</summary>
    public int ScorePixelsPerTile { get; init; } = GeoTiffWriter.DefaultScorePixelsPerTile;

    /// <summary>Pixels per tile in heatmap.tif (1..256).</summary>
    public int HeatmapPixelsPerTile { get; init; } = GeoTiffWriter.DefaultHeatmapPixelsPerTile;

    /// <summary>Absolute URL the output folder will be published at (tilejson.json, heatmap-wmts.xml); null = relative URLs.</summary>
    public string? BaseUrl { get; init; }
}
