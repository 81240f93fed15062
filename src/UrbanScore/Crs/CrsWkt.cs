using System.Globalization;

namespace UrbanScore.Crs;

/// <summary>
/// WKT1 definitions (parameters from the EPSG registry) of the CRSs beyond 4326/3857 that ProjNet can build, plus what
/// EPSG says about their axis order. ProjNet ships no EPSG database, so this is the whole of what UrbanScore knows.
/// The ETRS89-based datums are written as WGS 84-equivalent (TOWGS84 zero): they differ by well under a metre, far
/// below a tile pixel at any zoom we score.
/// </summary>
internal static class CrsWkt
{
    private const string Wgs84Geog =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

    private const string Etrs89Geog =
        "GEOGCS[\"ETRS89\",DATUM[\"European_Terrestrial_Reference_System_1989\",SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

    private const string Sweref99Geog =
        "GEOGCS[\"SWEREF99\",DATUM[\"SWEREF99\",SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

    private const string Lks94Geog =
        "GEOGCS[\"LKS94\",DATUM[\"Lithuania_1994_ETRS89\",SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

    private const string Rgf93Geog =
        "GEOGCS[\"RGF93\",DATUM[\"Reseau_Geodesique_Francais_1993\",SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

    // CH1903 and CH1903+ on Bessel 1841 with the EPSG 3-parameter shifts to WGS 84 (EPSG:1753 and EPSG:1676).
    private const string Ch1903Geog =
        "GEOGCS[\"CH1903\",DATUM[\"CH1903\",SPHEROID[\"Bessel 1841\",6377397.155,299.1528128],TOWGS84[674.374,15.056,405.346,0,0,0,0]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

    private const string Ch1903PlusGeog =
        "GEOGCS[\"CH1903+\",DATUM[\"CH1903+\",SPHEROID[\"Bessel 1841\",6377397.155,299.1528128],TOWGS84[674.374,15.056,405.346,0,0,0,0]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

    private const string Metre = "UNIT[\"metre\",1]";

    /// <summary>
    /// Projected CRSs whose EPSG axis order is northing first (GDAL's <c>EPSGTreatsAsNorthingEasting</c>): Sweden
    /// (3006–3018), Lithuania 3346, Poland 2176–2180, LAEA/LCC Europe 3035/3034, Gauss–Krüger 31466–31469, Romania 3844,
    /// UPS 32661/32761 and 5041/5042.
    /// </summary>
    private static readonly HashSet<int> s_northingFirst =
    [
        3006, 3007, 3008, 3009, 3010, 3011, 3012, 3013, 3014, 3015, 3016, 3017, 3018,
        3346, 2176, 2177, 2178, 2179, 2180, 3034, 3035, 31466, 31467, 31468, 31469, 3844, 32661, 32761, 5041, 5042,
    ];

    /// <summary>Codes that are not EPSG's but mean web mercator (Google's 900913, ESRI's 102100/102113, the retired 3785).</summary>
    public static int Canonical(int code) => code is 900913 or 102100 or 102113 or 3785 ? 3857 : code;

    /// <summary>Whether EPSG defines the code as a geographic 2D CRS (latitude first). 4000–4999 is EPSG's geographic block.</summary>
    public static bool IsGeographic(int epsg) => epsg is >= 4000 and <= 4999;

    /// <summary>Whether EPSG's axis order for the code is northing/latitude first (so a URN-form TopLeftCorner is y x).</summary>
    public static bool IsNorthingFirst(int epsg) => IsGeographic(epsg) || s_northingFirst.Contains(epsg);

    /// <summary>The WKT of an EPSG code, or null when we do not carry it.</summary>
    public static string? Find(int epsg) => Canonical(epsg) switch
    {
        4258 => Etrs89Geog,
        3067 => TransverseMercator("ETRS89 / TM35FIN(E,N)", Etrs89Geog, 27, 0.9996, 500000, 0),
        >= 25828 and <= 25838 => TransverseMercator(
            string.Create(CultureInfo.InvariantCulture, $"ETRS89 / UTM zone {epsg - 25800}N"), Etrs89Geog, UtmCentralMeridian(epsg - 25800), 0.9996, 500000, 0),
        >= 32601 and <= 32660 => TransverseMercator(
            string.Create(CultureInfo.InvariantCulture, $"WGS 84 / UTM zone {epsg - 32600}N"), Wgs84Geog, UtmCentralMeridian(epsg - 32600), 0.9996, 500000, 0),
        >= 32701 and <= 32760 => TransverseMercator(
            string.Create(CultureInfo.InvariantCulture, $"WGS 84 / UTM zone {epsg - 32700}S"), Wgs84Geog, UtmCentralMeridian(epsg - 32700), 0.9996, 500000, 10000000),
        3006 => TransverseMercator("SWEREF99 TM", Sweref99Geog, 15, 0.9996, 500000, 0),
        3346 => TransverseMercator("LKS94 / Lithuania TM", Lks94Geog, 24, 0.9998, 500000, 0),
        2180 => TransverseMercator("ETRS89 / Poland CS92", Etrs89Geog, 19, 0.9993, 500000, -5300000),
        3035 => "PROJCS[\"ETRS89 / LAEA Europe\"," + Etrs89Geog + ",PROJECTION[\"Lambert_Azimuthal_Equal_Area\"],"
            + "PARAMETER[\"latitude_of_center\",52],PARAMETER[\"longitude_of_center\",10],PARAMETER[\"false_easting\",4321000],"
            + "PARAMETER[\"false_northing\",3210000]," + Metre + "]",
        3034 => "PROJCS[\"ETRS89 / LCC Europe\"," + Etrs89Geog + ",PROJECTION[\"Lambert_Conformal_Conic_2SP\"],"
            + "PARAMETER[\"standard_parallel_1\",35],PARAMETER[\"standard_parallel_2\",65],PARAMETER[\"latitude_of_origin\",52],"
            + "PARAMETER[\"central_meridian\",10],PARAMETER[\"false_easting\",4000000],PARAMETER[\"false_northing\",2800000]," + Metre + "]",
        2154 => "PROJCS[\"RGF93 / Lambert-93\"," + Rgf93Geog + ",PROJECTION[\"Lambert_Conformal_Conic_2SP\"],"
            + "PARAMETER[\"standard_parallel_1\",49],PARAMETER[\"standard_parallel_2\",44],PARAMETER[\"latitude_of_origin\",46.5],"
            + "PARAMETER[\"central_meridian\",3],PARAMETER[\"false_easting\",700000],PARAMETER[\"false_northing\",6600000]," + Metre + "]",
        2056 => SwissObliqueMercator("CH1903+ / LV95", Ch1903PlusGeog, 2600000, 1200000),
        21781 => SwissObliqueMercator("CH1903 / LV03", Ch1903Geog, 600000, 200000),
        _ => null,
    };

    /// <summary>Central meridian of a UTM zone: −183° + 6° × zone.</summary>
    private static int UtmCentralMeridian(int zone) => -183 + (6 * zone);

    private static string TransverseMercator(string name, string geog, double centralMeridian, double scale, double falseEasting, double falseNorthing) =>
        string.Create(CultureInfo.InvariantCulture,
            $"PROJCS[\"{name}\",{geog},PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",{centralMeridian}],PARAMETER[\"scale_factor\",{scale}],PARAMETER[\"false_easting\",{falseEasting}],PARAMETER[\"false_northing\",{falseNorthing}],{Metre}]");

    // EPSG method 9815 (Hotine Oblique Mercator variant B) centred on the old Bern observatory; azimuth 90° makes it the
    // Swiss oblique cylindrical projection.
    private static string SwissObliqueMercator(string name, string geog, double falseEasting, double falseNorthing) =>
        string.Create(CultureInfo.InvariantCulture,
            $"PROJCS[\"{name}\",{geog},PROJECTION[\"Hotine_Oblique_Mercator_Azimuth_Center\"],PARAMETER[\"latitude_of_center\",46.95240555555556],PARAMETER[\"longitude_of_center\",7.439583333333333],PARAMETER[\"azimuth\",90],PARAMETER[\"rectified_grid_angle\",90],PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",{falseEasting}],PARAMETER[\"false_northing\",{falseNorthing}],{Metre}]");
}
