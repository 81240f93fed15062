namespace UrbanScore.Tiling;

/// <summary>
/// A tile matrix set: a CRS and its matrices ordered from coarsest to finest (largest scale denominator first,
/// whatever order a capabilities document used).
/// </summary>
public sealed class TileMatrixSet
{
    /// <summary>Creates a set; the matrices are sorted by scale denominator, descending.</summary>
    /// <param name="identifier">Identifier of the set ("GoogleMapsCompatible", "EPSG:3857", "ETRS-TM35FIN").</param>
    /// <param name="epsg">EPSG code of the CRS the matrices are in.</param>
    /// <param name="matrices">The levels, in any order.</param>
    public TileMatrixSet(string identifier, int epsg, IEnumerable<TileMatrix> matrices)
    {
        ArgumentNullException.ThrowIfNull(matrices);
        Identifier = identifier;
        Epsg = epsg;
        Matrices = [.. matrices.OrderByDescending(m => m.ScaleDenominator)];
    }

    /// <summary>Identifier of the set.</summary>
    public string Identifier { get; }

    /// <summary>EPSG code of the CRS (3857 for web mercator).</summary>
    public int Epsg { get; }

    /// <summary>Matrices from coarsest (index 0) to finest.</summary>
    public IReadOnlyList<TileMatrix> Matrices { get; }

    /// <summary>Whether this is the OGC WebMercatorQuad / GoogleMapsCompatible layout, where level index = XYZ zoom.</summary>
    public bool IsWebMercatorQuad =>
        Epsg == WebMercator.Epsg
        && Matrices.Count > 0
        && Matrices[0].MatrixWidth == 1
        && Math.Abs(Matrices[0].TopLeftX + WebMercator.HalfCircumference) < 1.0
        && Math.Abs(Matrices[0].Resolution - WebMercator.Level0Resolution) < 1e-6;

    /// <summary>The matrix at a level.</summary>
    public TileMatrix this[int zoom] => Matrices[zoom];

    /// <summary>Bounds of a tile in the set's CRS, x/y order.</summary>
    public BoundingBox TileBounds(TileIndex tile) => Matrices[tile.Zoom].TileBounds(tile.Col, tile.Row);

    /// <summary>The GoogleMapsCompatible set (EPSG:3857, 256 px tiles, levels 0..<paramref name="maxZoom"/>).</summary>
    public static TileMatrixSet WebMercatorQuad(int maxZoom = WebMercator.MaxZoom)
    {
        var matrices = new List<TileMatrix>(maxZoom + 1);
        for (var z = 0; z <= maxZoom; z++)
        {
            var resolution = WebMercator.Resolution(z);
            matrices.Add(new TileMatrix(
                Identifier: z.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ScaleDenominator: resolution / TileMatrix.StandardPixelSizeMetres,
                Resolution: resolution,
                TopLeftX: -WebMercator.HalfCircumference,
                TopLeftY: WebMercator.HalfCircumference,
                TileWidth: WebMercator.TileSize,
                TileHeight: WebMercator.TileSize,
                MatrixWidth: 1L << z,
                MatrixHeight: 1L << z));
        }

        return new TileMatrixSet("GoogleMapsCompatible", WebMercator.Epsg, matrices);
    }
}
