using ProjNet.CoordinateSystems;

namespace UrbanScore.Crs;

/// <summary>
/// The CRSs UrbanScore can transform between, by EPSG code. ProjNet ships no EPSG database, so every CRS we
/// support is listed here (WKT from the EPSG registry).
/// </summary>
public static class CrsRegistry
{
    private static readonly CoordinateSystemFactory s_factory = new();
    private static readonly Dictionary<int, CoordinateSystem> s_systems = new()
    {
        [4326] = GeographicCoordinateSystem.WGS84,
        [3857] = ProjectedCoordinateSystem.WebMercator,
    };

    private static readonly Lock s_lock = new();

    /// <summary>Whether the EPSG code is known.</summary>
    public static bool IsSupported(int epsg) => TryGet(epsg, out _);

    /// <summary>The ProjNet coordinate system of an EPSG code.</summary>
    /// <exception cref="UnsupportedCrsException">The code is not in the registry.</exception>
    public static CoordinateSystem Get(int epsg) =>
        TryGet(epsg, out var cs) ? cs : throw new UnsupportedCrsException(epsg);

    /// <summary>Looks up an EPSG code.</summary>
    public static bool TryGet(int epsg, out CoordinateSystem system)
    {
        epsg = CrsWkt.Canonical(epsg);
        lock (s_lock)
        {
            if (s_systems.TryGetValue(epsg, out var found))
            {
                system = found;
                return true;
            }

            var wkt = CrsWkt.Find(epsg);
            if (wkt is null)
            {
                system = null!;
                return false;
            }

            system = (CoordinateSystem)s_factory.CreateFromWkt(wkt);
            s_systems[epsg] = system;
            return true;
        }
    }

    /// <summary>The EPSG code that <paramref name="epsg"/> stands for: 3857 for the unofficial web-mercator codes 900913, 102100, 102113 and 3785, else itself.</summary>
    public static int Canonical(int epsg) => CrsWkt.Canonical(epsg);

    /// <summary>Metres per CRS unit: 1 for projected metre CRSs, 2πR/360 for degrees (OGC 07-057r7 Annex E, GDAL).</summary>
    public static double MetresPerUnit(int epsg) =>
        Get(epsg) is GeographicCoordinateSystem ? 6378137.0 * 2.0 * Math.PI / 360.0 : 1.0;
}
