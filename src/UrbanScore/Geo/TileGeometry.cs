using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using UrbanScore.Crs;
using UrbanScore.Tiling;

namespace UrbanScore.Geo;

/// <summary>
/// The ground footprint of the tiles of one level: each tile as a polygon in the equal-area plane of
/// <see cref="EllipsoidalArea"/> and its area on the WGS 84 ellipsoid. Web-mercator and geographic tiles are
/// longitude/latitude rectangles (exact, closed form); tiles of any other CRS have their edges traced through ProjNet
/// (<see cref="EdgePoints"/> points per edge) and their area is that polygon's. Not thread-safe (ProjNet transforms).
/// </summary>
public sealed class TileGeometry
{
    /// <summary>Points traced per tile edge for projected CRSs other than web mercator (edges curve on the ellipsoid).</summary>
    internal const int EdgePoints = 16;

    private readonly TileMatrix _matrix;
    private readonly bool _mercator;
    private readonly bool _geographic;
    private readonly Wgs84Transform? _transform;
    private readonly Coordinate[] _ring;

    /// <summary>The tiles of level <paramref name="zoom"/> of <paramref name="set"/>.</summary>
    /// <param name="set">The tile matrix set.</param>
    /// <param name="zoom">The level.</param>
    public TileGeometry(TileMatrixSet set, int zoom)
    {
        ArgumentNullException.ThrowIfNull(set);
        _matrix = set[zoom];
        var epsg = CrsRegistry.Canonical(set.Epsg);
        _mercator = epsg == WebMercator.Epsg;
        _geographic = !_mercator && CrsRegistry.Get(epsg) is GeographicCoordinateSystem;
        _transform = _mercator || _geographic ? null : new Wgs84Transform(epsg);
        _ring = new Coordinate[_mercator || _geographic ? 5 : (4 * EdgePoints) + 1];
    }

    internal static GeometryFactory Factory { get; } = new();

    /// <summary>Ground area of a tile in m².</summary>
    public double SquareMetres(long col, long row)
    {
        var b = _matrix.TileBounds(col, row);
        if (_mercator || _geographic)
        {
            var (west, south, east, north) = LonLatRectangle(b);
            return EllipsoidalArea.RectangleSquareMetres(west, south, east, north);
        }

        return Polygon(col, row).Area;
    }

    /// <summary>The tile as a polygon in the equal-area plane (metres); a new polygon per call.</summary>
    internal Polygon Polygon(long col, long row)
    {
        var b = _matrix.TileBounds(col, row);
        if (_mercator || _geographic)
        {
            var (west, south, east, north) = LonLatRectangle(b);
            var (x0, y0) = EllipsoidalArea.Project(west, south);
            var (x1, y1) = EllipsoidalArea.Project(east, north);
            return Factory.CreatePolygon(
            [
                new Coordinate(x0, y0), new Coordinate(x1, y0), new Coordinate(x1, y1), new Coordinate(x0, y1), new Coordinate(x0, y0),
            ]);
        }

        // Counter-clockwise around the tile in its CRS: south edge west→east, east edge, north edge, west edge.
        var k = 0;
        for (var side = 0; side < 4; side++)
        {
            for (var i = 0; i < EdgePoints; i++)
            {
                var t = i / (double)EdgePoints;
                var (x, y) = side switch
                {
                    0 => (b.MinX + ((b.MaxX - b.MinX) * t), b.MinY),
                    1 => (b.MaxX, b.MinY + ((b.MaxY - b.MinY) * t)),
                    2 => (b.MaxX - ((b.MaxX - b.MinX) * t), b.MaxY),
                    _ => (b.MinX, b.MaxY - ((b.MaxY - b.MinY) * t)),
                };
                var (lon, lat) = _transform!.Inverse(x, y);
                var (px, py) = EllipsoidalArea.Project(lon, lat);
                _ring[k++] = new Coordinate(px, py);
            }
        }

        _ring[k] = _ring[0].Copy();
        return Factory.CreatePolygon([.. _ring.Select(c => c.Copy())]);
    }

    private (double West, double South, double East, double North) LonLatRectangle(BoundingBox b)
    {
        if (_geographic)
        {
            return (b.MinX, Math.Max(b.MinY, -90), b.MaxX, Math.Min(b.MaxY, 90));
        }

        const double toDegrees = 180 / Math.PI;
        static double Lat(double y) => Math.Atan(Math.Sinh(y / WebMercator.EarthRadius)) * toDegrees;
        return (b.MinX / WebMercator.EarthRadius * toDegrees, Lat(b.MinY), b.MaxX / WebMercator.EarthRadius * toDegrees, Lat(b.MaxY));
    }
}
