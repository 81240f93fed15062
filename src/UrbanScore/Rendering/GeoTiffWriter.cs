using System.Xml.Linq;

namespace UrbanScore.Rendering;

/// <summary>
/// Writes the two GeoTIFF products of a run as Cloud Optimized GeoTIFFs (tiled 256×256, Deflate, overviews by 2×2
/// averaging, IFDs first; BigTIFF when the file could pass 3.5 GiB), georeferenced exactly on the tile grid in its CRS.
/// Input is streamed one row of tiles at a time; memory does not grow with the number of rows.
/// </summary>
/// <remarks>
/// Each call writes to a temporary file next to <c>path</c> and renames it over <c>path</c> when complete, so readers
/// never see a partial file; on failure or cancellation the temporary files are deleted. Calls are synchronous
/// (CPU-bound compression in parallel, file writes on the calling thread) and independent of each other.
/// </remarks>
public static class GeoTiffWriter
{
    /// <summary>Default pixels per tile of <c>scores.tif</c>: one score per pixel.</summary>
    public const int DefaultScorePixelsPerTile = 1;

    /// <summary>Default pixels per tile of <c>heatmap.tif</c>.</summary>
    public const int DefaultHeatmapPixelsPerTile = 16;

    /// <summary>The value written in <c>scores.tif</c> (and its GDAL_NODATA tag) where the input score is NaN.</summary>
    public const float NoDataValue = CogPixelFormat.Float32Scores.NoDataValue;

    /// <summary>
    /// Writes <c>scores.tif</c>: one Float32 band of scores, <see cref="GeoTiffGrid.PixelsPerTile"/> pixels per tile,
    /// NaN written as <see cref="NoDataValue"/>; overviews are the mean of the valid pixels.
    /// </summary>
    /// <param name="path">Target file; its folder must exist. Replaced if present.</param>
    /// <param name="grid">Tiles covered, CRS and pixels per tile.</param>
    /// <param name="readRow">Fills the scores of one tile row; called once per row, north to south, on this thread.</param>
    /// <param name="metadata">GDAL_METADATA dataset items (labels, model, zoom, date, ...), or null.</param>
    /// <param name="cancellationToken">Stops between rows of TIFF tiles; the target is then left untouched.</param>
    public static void WriteScores(
        string path,
        GeoTiffGrid grid,
        GeoTiffRowReader readRow,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(readRow);
        WriteFloat32(path, grid, readRow, metadata, "score", cancellationToken);
    }

    /// <summary>A one-band Float32 COG like <c>scores.tif</c> with another band description (<c>change.tif</c>: "change").</summary>
    internal static void WriteFloat32(string path, GeoTiffGrid grid, GeoTiffRowReader readRow, IReadOnlyDictionary<string, string>? metadata, string bandDescription, CancellationToken cancellationToken)
    {
        var xml = GdalMetadataXml(metadata, bandDescription);
        new CogWriter(grid, new CogPixelFormat.Float32Scores(), xml).Write(path, readRow, cancellationToken);
    }

    /// <summary>
    /// Writes <c>heatmap.tif</c>: RGBA 8-bit with unassociated alpha, <see cref="GeoTiffGrid.PixelsPerTile"/> pixels per
    /// tile, each tile coloured by <paramref name="palette"/>, NaN fully transparent (0,0,0,0); overviews average colour
    /// weighted by alpha, and alpha.
    /// </summary>
    /// <param name="path">Target file; its folder must exist. Replaced if present.</param>
    /// <param name="grid">Tiles covered, CRS and pixels per tile.</param>
    /// <param name="readRow">Fills the scores of one tile row; called once per row, north to south, on this thread.</param>
    /// <param name="palette">Score to colour; null for <see cref="RedAlphaPalette"/>.</param>
    /// <param name="metadata">GDAL_METADATA dataset items, or null.</param>
    /// <param name="cancellationToken">Stops between rows of TIFF tiles; the target is then left untouched.</param>
    public static void WriteHeatmap(
        string path,
        GeoTiffGrid grid,
        GeoTiffRowReader readRow,
        GeoTiffPalette? palette = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(readRow);
        var xml = GdalMetadataXml(metadata, bandDescription: null);
        new CogWriter(grid, new CogPixelFormat.Rgba8Heatmap(palette ?? RedAlphaPalette), xml).Write(path, readRow, cancellationToken);
    }

    /// <summary>
    /// The product's default colour, the seed's overlay: red (255,0,0) with alpha = round(255·P), P clamped to 0..1
    /// (midpoint away from zero), so P = 0 is fully transparent.
    /// </summary>
    public static void RedAlphaPalette(float score, Span<byte> rgba)
    {
        rgba[0] = 255;
        rgba[1] = 0;
        rgba[2] = 0;
        rgba[3] = (byte)Math.Round(255.0 * Math.Clamp(score, 0f, 1f), MidpointRounding.AwayFromZero);
    }

    /// <summary>GDAL's GDAL_METADATA XML (GTiff driver doc), items sorted by name so the output is deterministic.</summary>
    internal static string? GdalMetadataXml(IReadOnlyDictionary<string, string>? metadata, string? bandDescription)
    {
        var root = new XElement("GDALMetadata");
        foreach (var (name, value) in (metadata ?? new Dictionary<string, string>()).OrderBy(item => item.Key, StringComparer.Ordinal))
        {
            root.Add(new XElement("Item", new XAttribute("name", name), value));
        }

        if (bandDescription is not null)
        {
            root.Add(new XElement("Item", new XAttribute("name", "DESCRIPTION"), new XAttribute("sample", "0"), new XAttribute("role", "description"), bandDescription));
        }

        return root.HasElements ? root.ToString(SaveOptions.DisableFormatting) : null;
    }
}
