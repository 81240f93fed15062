using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using UrbanScore.Tiling;

namespace UrbanScore.Analysis;

/// <summary>
/// Which share of each tile of one level lies inside polygons (outlines of the positive class): the polygons are
/// projected once into tile units of the matrix (as <see cref="PolygonCover"/> does), where a tile is the unit square
/// [col, col+1] × [row, row+1], so the share is an exact planar area in the matrix CRS — the share of the tile's
/// pixels. Not thread-safe (the prepared geometry builds its index lazily).
/// </summary>
internal sealed class OutlineShare
{
    private readonly GeometryFactory _factory = new();
    private readonly IPreparedGeometry _prepared;
    private readonly STRtree<Geometry> _parts = new();

    /// <param name="lonLatOutlines">Polygon or MultiPolygon in EPSG:4326 degrees, within -180..180.</param>
    /// <param name="matrixSet">The tile matrix set.</param>
    /// <param name="zoom">The level.</param>
    /// <exception cref="UrbanScoreException">The outlines lie outside the level.</exception>
    public OutlineShare(Geometry lonLatOutlines, TileMatrixSet matrixSet, int zoom)
    {
        Cover = new PolygonCover(lonLatOutlines, matrixSet, zoom, CoverMode.Intersect);
        var tileSpace = Cover.TileSpaceGeometry;
        _prepared = PreparedGeometryFactory.Prepare(tileSpace);
        for (var i = 0; i < tileSpace.NumGeometries; i++)
        {
            var part = tileSpace.GetGeometryN(i);
            _parts.Insert(part.EnvelopeInternal, part);
        }

        _parts.Build();
    }

    /// <summary>Every tile that meets the outlines (the candidates for a share above 0).</summary>
    public PolygonCover Cover { get; }

    /// <summary>Whether <paramref name="tile"/> meets the outlines at all (shares an interior point or a boundary).</summary>
    public bool Meets(TileIndex tile) =>
        _prepared.Intersects(_factory.ToGeometry(new Envelope(tile.Col, tile.Col + 1.0, tile.Row, tile.Row + 1.0)));

    /// <summary>Whether the centre of <paramref name="tile"/> lies inside the outlines.</summary>
    public bool ContainsCentre(TileIndex tile) =>
        _prepared.Contains(_factory.CreatePoint(new Coordinate(tile.Col + 0.5, tile.Row + 0.5)));

    /// <summary>Share (0..1) of <paramref name="tile"/>'s area inside the outlines.</summary>
    public double Share(TileIndex tile)
    {
        var envelope = new Envelope(tile.Col, tile.Col + 1.0, tile.Row, tile.Row + 1.0);
        var square = _factory.ToGeometry(envelope);
        if (!_prepared.Intersects(square))
        {
            return 0;
        }

        if (_prepared.Contains(square))
        {
            return 1;
        }

        var area = 0.0;
        foreach (var part in _parts.Query(envelope))
        {
            area += part.Intersection(square).Area;
        }

        return Math.Clamp(area, 0, 1);
    }
}
