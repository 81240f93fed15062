using System.Globalization;
using System.Text.Json;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// Everything the products of a run depend on besides the scores: colours, pyramid depth, raster resolutions, the
/// grid and the product date. Saved in the store's metadata (keys <c>render.*</c>) when <c>score</c> writes the
/// products, so <c>urbanscore render</c> reproduces them byte for byte without the source or the model.
/// </summary>
internal sealed class ProductSettings
{
    private const string Prefix = "render.";

    public required string Colormap { get; init; }

    public required float Threshold { get; init; }

    /// <summary>Lowest pyramid level asked for; null = 6 levels above the scored one (or 0).</summary>
    public int? MinZoom { get; init; }

    public required int ScorePixelsPerTile { get; init; }

    public required int HeatmapPixelsPerTile { get; init; }

    /// <summary>Absolute URL prefix for tilejson.json and heatmap-wmts.xml, ending with '/'; null = the folder's own file:// URI.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>The scored tile range (the cover's extent).</summary>
    public required TileRange Extent { get; init; }

    public required TileMatrixSet MatrixSet { get; init; }

    /// <summary>Product date written into the GeoTIFF metadata, ISO 8601 UTC.</summary>
    public required string Date { get; init; }

    public HeatmapPalette Palette => HeatmapPalette.Create(Colormap, Threshold);

    /// <summary>The pyramid's lowest level: <see cref="MinZoom"/>, or 6 levels up, never below 0 or above the scored level.</summary>
    public int EffectiveMinZoom => Math.Clamp(MinZoom ?? (Extent.Zoom - 6), 0, Extent.Zoom);

    public void Save(ScoreStore store)
    {
        var e = Extent;
        store.WriteMetadataEntries(
        [
            new(Prefix + "colormap", Colormap),
            new(Prefix + "threshold", Threshold.ToString("R", CultureInfo.InvariantCulture)),
            new(Prefix + "min_zoom", MinZoom?.ToString(CultureInfo.InvariantCulture) ?? string.Empty),
            new(Prefix + "pixels_per_tile", ScorePixelsPerTile.ToString(CultureInfo.InvariantCulture)),
            new(Prefix + "heatmap_pixels_per_tile", HeatmapPixelsPerTile.ToString(CultureInfo.InvariantCulture)),
            new(Prefix + "base_url", BaseUrl ?? string.Empty),
            new(Prefix + "extent", string.Create(CultureInfo.InvariantCulture, $"{e.Zoom},{e.MinCol},{e.MinRow},{e.MaxCol},{e.MaxRow}")),
            new(Prefix + "date", Date),
            new(Prefix + "matrix_set", SerializeMatrixSet(MatrixSet)),
        ]);
    }

    /// <summary>The settings saved by the last <c>score</c> or <c>render</c> into this store.</summary>
    /// <exception cref="UrbanScoreException">The store has no render settings (its run never reached the product step).</exception>
    public static ProductSettings Load(ScoreStore store) =>
        TryLoad(store) ?? throw new UrbanScoreException($"{store.Path} has no product settings (its run stopped before writing products); finish it with the same 'urbanscore score' command first.");

    /// <summary>The settings saved by the last <c>score</c> or <c>render</c> into this store, or null when it has none.</summary>
    public static ProductSettings? TryLoad(ScoreStore store)
    {
        var m = store.ReadMetadata();
        if (!m.TryGetValue(Prefix + "extent", out var extentText) || !m.TryGetValue(Prefix + "matrix_set", out var setJson))
        {
            return null;
        }

        var e = extentText.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new ProductSettings
        {
            Colormap = m.GetValueOrDefault(Prefix + "colormap", "red"),
            Threshold = float.Parse(m.GetValueOrDefault(Prefix + "threshold", "0"), CultureInfo.InvariantCulture),
            MinZoom = m.GetValueOrDefault(Prefix + "min_zoom", string.Empty) is { Length: > 0 } z ? int.Parse(z, CultureInfo.InvariantCulture) : null,
            ScorePixelsPerTile = int.Parse(m.GetValueOrDefault(Prefix + "pixels_per_tile", "1"), CultureInfo.InvariantCulture),
            HeatmapPixelsPerTile = int.Parse(m.GetValueOrDefault(Prefix + "heatmap_pixels_per_tile", "16"), CultureInfo.InvariantCulture),
            BaseUrl = m.GetValueOrDefault(Prefix + "base_url", string.Empty) is { Length: > 0 } b ? b : null,
            Extent = new TileRange(Zoom: e[0], MinCol: e[1], MinRow: e[2], MaxCol: e[3], MaxRow: e[4]),
            Date = m.GetValueOrDefault(Prefix + "date", string.Empty),
            MatrixSet = DeserializeMatrixSet(setJson),
        };
    }

    internal static string SerializeMatrixSet(TileMatrixSet set) => JsonSerializer.Serialize(
        new MatrixSetDto(
            set.Identifier,
            set.Epsg,
            [.. set.Matrices.Select(m => new MatrixDto(m.Identifier, m.ScaleDenominator, m.Resolution, m.TopLeftX, m.TopLeftY, m.TileWidth, m.TileHeight, m.MatrixWidth, m.MatrixHeight))]),
        RenderingJson.Default.MatrixSetDto);

    internal static TileMatrixSet DeserializeMatrixSet(string json)
    {
        var dto = JsonSerializer.Deserialize(json, RenderingJson.Default.MatrixSetDto) ?? throw new UrbanScoreException("The store's render.matrix_set entry is empty; re-run 'urbanscore score' into this folder.");
        return new TileMatrixSet(dto.Id, dto.Epsg, dto.Matrices.Select(m => new TileMatrix(
            Identifier: m.Id,
            ScaleDenominator: m.Scale,
            Resolution: m.Resolution,
            TopLeftX: m.X,
            TopLeftY: m.Y,
            TileWidth: m.Width,
            TileHeight: m.Height,
            MatrixWidth: m.MatrixWidth,
            MatrixHeight: m.MatrixHeight)));
    }

    /// <summary>The <c>--base-url</c> value that goes back to the folder's own file:// URI.</summary>
    public const string FolderBaseUrl = "folder";

    /// <summary>Normalises a base URL: absolute http(s) or file, ending with '/'; empty or <see cref="FolderBaseUrl"/> = null.</summary>
    /// <exception cref="UrbanScoreException">Not an absolute http(s) or file URL.</exception>
    public static string? NormaliseBaseUrl(string? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(baseUrl) || baseUrl == FolderBaseUrl)
        {
            return null;
        }

        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeFile))
        {
            throw new UrbanScoreException($"Base URL '{baseUrl}' is not an absolute http(s) or file URL; give the URL the output folder is published at, e.g. https://maps.example.org/run1/, or 'folder' for the folder's own file:// address.") { Subject = InputSubject.BaseUrl };
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri.AbsoluteUri : uri.AbsoluteUri + "/";
    }

    /// <summary>The stored form of a tile matrix set (JSON in the store's metadata).</summary>
    internal sealed record MatrixSetDto(string Id, int Epsg, MatrixDto[] Matrices);

    /// <summary>The stored form of a tile matrix.</summary>
    internal sealed record MatrixDto(string Id, double Scale, double Resolution, double X, double Y, int Width, int Height, long MatrixWidth, long MatrixHeight);
}
