using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Union;
using UrbanScore.Tiling;

namespace UrbanScore.Geo;

/// <summary>Polygon chores shared by the areas: antimeridian cut, buffer in metres, bounds and surface on the sphere.</summary>
internal static class AreaGeometry
{
    /// <summary>Mean earth radius, metres (IUGG), for surface areas and buffers.</summary>
    private const double MeanEarthRadius = 6371008.8;

    public static GeometryFactory Factory { get; } = new();

    /// <summary>
    /// Keeps the polygonal parts and cuts them at ±180°: parts beyond (rings unwrapped across the antimeridian, as
    /// Natural Earth via world-atlas or a user's 170..190 box have them) are moved by 360° into -180..180.
    /// </summary>
    public static Geometry CutAtAntimeridian(Geometry geometry)
    {
        var envelope = geometry.EnvelopeInternal;
        if (envelope.MinX >= -180 && envelope.MaxX <= 180)
        {
            return Polygonal(geometry);
        }

        var parts = new List<Geometry>();
        for (var shift = -720; shift <= 720; shift += 360)
        {
            // Window [-180, 180] + shift in the input's longitudes, moved back by -shift.
            var window = Factory.ToGeometry(new Envelope(-180 + shift, 180 + shift, -90, 90));
            if (!window.EnvelopeInternal.Intersects(envelope))
            {
                continue;
            }

            var piece = Polygonal(geometry.Intersection(window));
            if (!piece.IsEmpty)
            {
                parts.Add(AffineTransformation.TranslationInstance(-shift, 0).Transform(piece));
            }
        }

        return Polygonal(UnaryUnionOp.Union(parts));
    }

    /// <summary>The Polygon/MultiPolygon made of the polygonal components of <paramref name="geometry"/>.</summary>
    public static Geometry Polygonal(Geometry geometry)
    {
        var polygons = new List<Polygon>();
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            switch (geometry.GetGeometryN(i))
            {
                case Polygon p when !p.IsEmpty:
                    polygons.Add(p);
                    break;
                case MultiPolygon or GeometryCollection when geometry.GetGeometryN(i) != geometry:
                    polygons.AddRange(Polygons(Polygonal(geometry.GetGeometryN(i))));
                    break;
            }
        }

        return polygons.Count == 1 ? polygons[0] : Factory.CreateMultiPolygon([.. polygons]);
    }

    public static IEnumerable<Polygon> Polygons(Geometry geometry)
    {
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is Polygon p)
            {
                yield return p;
            }
        }
    }

    /// <summary>
    /// Grows (or with a negative distance shrinks) a longitude/latitude polygon by <paramref name="metres"/>. Each
    /// polygon part is buffered in its own local equirectangular projection (true scale along meridians, and along
    /// parallels at the part's mean latitude), so the distance is exact north–south and within cos φ / cos φ₀ east–west.
    /// </summary>
    public static Geometry BufferMetres(Geometry lonLat, double metres)
    {
        var metresPerDegree = MeanEarthRadius * Math.PI / 180.0;
        var parts = new List<Geometry>();
        foreach (var polygon in Polygons(lonLat))
        {
            var envelope = polygon.EnvelopeInternal;
            var lat0 = (envelope.MinY + envelope.MaxY) / 2;
            var lon0 = (envelope.MinX + envelope.MaxX) / 2;
            var scaleX = metresPerDegree * Math.Cos(lat0 * Math.PI / 180.0);
            var toLocal = new AffineTransformation().Translate(-lon0, 0).Scale(scaleX, metresPerDegree);
            var local = toLocal.Transform(polygon).Buffer(metres);
            parts.Add(toLocal.GetInverse().Transform(local));
        }

        // Clamp to the poles; longitudes beyond ±180 are cut by the caller.
        var merged = UnaryUnionOp.Union(parts);
        return Polygonal(merged.Intersection(Factory.ToGeometry(new Envelope(-540, 540, -90, 90))));
    }

    /// <summary>Surface in km² on the sphere (the spherical-excess ring formula; holes subtract).</summary>
    public static double SquareKilometres(Geometry lonLat)
    {
        double total = 0;
        foreach (var polygon in Polygons(lonLat))
        {
            total += Math.Abs(RingArea(polygon.ExteriorRing.Coordinates));
            foreach (var hole in polygon.InteriorRings)
            {
                total -= Math.Abs(RingArea(hole.Coordinates));
            }
        }

        return total / 1e6;
    }

    /// <summary>
    /// Longitude/latitude bounds; when the parts sit on both sides of ±180 with the widest empty band of longitudes
    /// elsewhere than at ±180, MinX &gt; MaxX (the box crosses the antimeridian, like Russia's or Fiji's).
    /// </summary>
    public static BoundingBox Bounds(Geometry lonLat)
    {
        var envelope = lonLat.EnvelopeInternal;
        var spans = Polygons(lonLat).Select(p => (p.EnvelopeInternal.MinX, p.EnvelopeInternal.MaxX)).OrderBy(s => s.MinX).ToList();
        double bestGap = (spans[0].MinX + 360) - spans.Max(s => s.MaxX), gapStart = double.NaN, gapEnd = double.NaN;
        var reach = spans[0].MaxX;
        foreach (var (minX, maxX) in spans.Skip(1))
        {
            if (minX - reach > bestGap)
            {
                (bestGap, gapStart, gapEnd) = (minX - reach, reach, minX);
            }

            reach = Math.Max(reach, maxX);
        }

        return double.IsNaN(gapStart)
            ? new BoundingBox(MinX: envelope.MinX, MinY: envelope.MinY, MaxX: envelope.MaxX, MaxY: envelope.MaxY)
            : new BoundingBox(MinX: gapEnd, MinY: envelope.MinY, MaxX: gapStart, MaxY: envelope.MaxY);
    }

    /// <summary>
    /// Ground area of a longitude/latitude box on the WGS 84 ellipsoid, km² (MinX &gt; MaxX crosses the antimeridian):
    /// exact, as R_q²·Δλ·(sin β₂ − sin β₁) with β the authalic latitude (Snyder, Map Projections, eq. 3-11, 3-12).
    /// </summary>
    public static double SquareKilometres(BoundingBox lonLat)
    {
        var width = lonLat.MaxX - lonLat.MinX;
        if (width < 0)
        {
            width += 360;
        }

        var zone = Math.Sin(AuthalicLatitude(lonLat.MaxY)) - Math.Sin(AuthalicLatitude(lonLat.MinY));
        return width * Math.PI / 180.0 * zone * AuthalicRadius * AuthalicRadius / 1e6;
    }

    private static double RingArea(Coordinate[] ring)
    {
        // Chamberlain & Duquette, "Some algorithms for polygons on a sphere" (JPL 2007), as in d3-geo / turf, on the
        // authalic sphere: latitudes mapped to authalic latitudes keep every area the ellipsoid's (Snyder eq. 3-11).
        double sum = 0;
        for (var i = 0; i + 1 < ring.Length; i++)
        {
            var (a, b) = (ring[i], ring[i + 1]);
            sum += ((b.X - a.X) * Math.PI / 180.0) * (2 + Math.Sin(AuthalicLatitude(a.Y)) + Math.Sin(AuthalicLatitude(b.Y)));
        }

        return sum * AuthalicRadius * AuthalicRadius / 2;
    }

    /// <summary>WGS 84 semi-major axis, metres, and first eccentricity (EPSG:7030).</summary>
    private const double SemiMajor = 6378137.0;
    private const double Eccentricity = 0.0818191908426215;

    /// <summary>Radius of the sphere with the ellipsoid's surface (Snyder eq. 3-13), metres: 6,371,007.2.</summary>
    private static readonly double AuthalicRadius = SemiMajor * Math.Sqrt(Q(Math.PI / 2) / 2);

    /// <summary>Authalic latitude β of a geodetic latitude in degrees, radians (Snyder eq. 3-11).</summary>
    private static double AuthalicLatitude(double latitudeDegrees) =>
        Math.Asin(Math.Clamp(Q(latitudeDegrees * Math.PI / 180.0) / Q(Math.PI / 2), -1, 1));

    private static double Q(double phi)
    {
        var e = Eccentricity;
        var s = Math.Sin(phi);
        return (1 - e * e) * (s / (1 - e * e * s * s) - 1 / (2 * e) * Math.Log((1 - e * s) / (1 + e * s)));
    }
}
