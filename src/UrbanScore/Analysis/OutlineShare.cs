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
public sealed class OutlineShare
{
    private readonly GeometryFactory _factory = new();
    private readonly IPreparedGeometry _prepared;
    private readonly STRtree<Geometry> _parts = new();

    /// <summary>Projects the outlines into tile units of <paramref name="zoom"/>.</summary>
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
            var polygon = (Polygon)part;
            area += Math.Abs(ClippedArea(polygon.ExteriorRing, envelope));
            foreach (var hole in polygon.InteriorRings)
            {
                area -= Math.Abs(ClippedArea(hole, envelope));
            }
        }
        return Math.Clamp(area, 0, 1);
    }

    /// <summary>
    /// Signed area of a ring clipped to a box (Sutherland–Hodgman: exact for the area of a ring of any shape against a
    /// convex window, the clipped ring may run along the window's edges twice). O(vertices), no allocation beyond two lists.
    /// </summary>
    private static double ClippedArea(LineString ring, Envelope box)
    {
        var envelope = ring.EnvelopeInternal;
        if (!envelope.Intersects(box))
        {
            return 0;
        }

        var points = ring.Coordinates;
        if (box.Contains(envelope))
        {
            return SignedArea(points);
        }

        var current = new List<Coordinate>(points.Length);
        current.AddRange(points.AsSpan(0, points.Length - 1));
        var next = new List<Coordinate>(points.Length);
        for (var side = 0; side < 4 && current.Count > 0; side++)
        {
            next.Clear();
            for (var i = 0; i < current.Count; i++)
            {
                var a = current[i];
                var b = current[(i + 1) % current.Count];
                var aIn = Inside(a, box, side);
                var bIn = Inside(b, box, side);
                if (aIn)
                {
                    next.Add(a);
                }

                if (aIn != bIn)
                {
                    next.Add(Crossing(a, b, box, side));
                }
            }

            (current, next) = (next, current);
        }

        if (current.Count < 3)
        {
            return 0;
        }

        current.Add(current[0]);
        return SignedArea([.. current]);
    }

    private static bool Inside(Coordinate p, Envelope box, int side) => side switch
    {
        0 => p.X >= box.MinX,
        1 => p.X <= box.MaxX,
        2 => p.Y >= box.MinY,
        _ => p.Y <= box.MaxY,
    };

    private static Coordinate Crossing(Coordinate a, Coordinate b, Envelope box, int side)
    {
        if (side < 2)
        {
            var x = side == 0 ? box.MinX : box.MaxX;
            return new Coordinate(x, a.Y + ((b.Y - a.Y) * (x - a.X) / (b.X - a.X)));
        }

        var y = side == 2 ? box.MinY : box.MaxY;
        return new Coordinate(a.X + ((b.X - a.X) * (y - a.Y) / (b.Y - a.Y)), y);
    }

    private static double SignedArea(Coordinate[] ring)
    {
        var sum = 0.0;
        for (var i = 0; i + 1 < ring.Length; i++)
        {
            sum += (ring[i].X * ring[i + 1].Y) - (ring[i + 1].X * ring[i].Y);
        }

        return sum / 2;
    }
}
