using UrbanScore.Tiling;

namespace UrbanScore.Wmts;

/// <summary>A layer of a WMTS capabilities document (OGC 07-057r7 §7.2.4.6).</summary>
/// <param name="Identifier">The LAYER value.</param>
/// <param name="Title">Human title, or null when the server wrote none.</param>
/// <param name="Formats">Tile formats exactly as advertised (sent verbatim as FORMAT).</param>
/// <param name="Styles">Styles in document order.</param>
/// <param name="Wgs84BoundingBox">Extent in CRS84 longitude/latitude, or null.</param>
/// <param name="TileMatrixSetLinks">Linked tile matrix sets with their limits.</param>
/// <param name="ResourceUrls">RESTful templates (tiles and others).</param>
/// <param name="Dimensions">Extra dimensions (Time, elevation, …).</param>
public sealed record WmtsLayer(
    string Identifier,
    string? Title,
    IReadOnlyList<string> Formats,
    IReadOnlyList<WmtsStyle> Styles,
    BoundingBox? Wgs84BoundingBox,
    IReadOnlyList<WmtsTileMatrixSetLink> TileMatrixSetLinks,
    IReadOnlyList<WmtsResourceUrl> ResourceUrls,
    IReadOnlyList<WmtsDimension> Dimensions);
