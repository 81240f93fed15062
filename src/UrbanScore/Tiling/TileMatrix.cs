namespace UrbanScore.Tiling;

/// <summary>
/// One level of a tile matrix set (OGC 07-057r7 §6.1): a grid of <see cref="MatrixWidth"/> × <see cref="MatrixHeight"/>
/// tiles of <see cref="TileWidth"/> × <see cref="TileHeight"/> pixels whose top-left pixel corner is at
/// (<see cref="TopLeftX"/>, <see cref="TopLeftY"/>) in the set's CRS, x/y order (easting first) whatever the CRS axis order.
/// </summary>
/// <param name="Identifier">Opaque identifier used in requests ("15", "05", "EPSG:900913:15", "1e6").</param>
/// <param name="ScaleDenominator">Scale denominator against the 0.28 mm standard pixel.</param>
/// <param name="Resolution">Pixel size in CRS units (metres for projected CRSs, degrees for geographic ones).</param>
/// <param name="TopLeftX">X (easting or longitude) of the top-left corner of the top-left pixel, in CRS units.</param>
/// <param name="TopLeftY">Y (northing or latitude) of the top-left corner of the top-left pixel, in CRS units.</param>
/// <param name="TileWidth">Tile width in pixels.</param>
/// <param name="TileHeight">Tile height in pixels.</param>
/// <param name="MatrixWidth">Number of tile columns.</param>
/// <param name="MatrixHeight">Number of tile rows.</param>
public sealed record TileMatrix(
    string Identifier,
    double ScaleDenominator,
    double Resolution,
    double TopLeftX,
    double TopLeftY,
    int TileWidth,
    int TileHeight,
    long MatrixWidth,
    long MatrixHeight)
{
    /// <summary>OGC "standardized rendering pixel size" of 0.28 mm (OGC 07-057r7 §6.1), in metres.</summary>
    public const double StandardPixelSizeMetres = 0.28e-3;

    /// <summary>Width of one tile in CRS units.</summary>
    public double TileSpanX => TileWidth * Resolution;

    /// <summary>Height of one tile in CRS units.</summary>
    public double TileSpanY => TileHeight * Resolution;

    /// <summary>Bounds of one tile in the CRS (x/y order), computed from integer indices so corners are exact.</summary>
    public BoundingBox TileBounds(long col, long row) => new(
        MinX: TopLeftX + (col * TileSpanX),
        MinY: TopLeftY - ((row + 1) * TileSpanY),
        MaxX: TopLeftX + ((col + 1) * TileSpanX),
        MaxY: TopLeftY - (row * TileSpanY));

    /// <summary>
    /// The column and row of the tile holding the point, clamped to the matrix. The 1e-10 tile epsilon is GDAL's, so a
    /// point on a tile edge (within floating error) lands in the tile east/south of it.
    /// </summary>
    public (long Col, long Row) TileAt(double x, double y)
    {
        const double edgeEpsilon = 1e-10;
        var col = (long)Math.Floor(((x - TopLeftX) / TileSpanX) + edgeEpsilon);
        var row = (long)Math.Floor(((TopLeftY - y) / TileSpanY) + edgeEpsilon);
        return (Math.Clamp(col, 0, MatrixWidth - 1), Math.Clamp(row, 0, MatrixHeight - 1));
    }
}
