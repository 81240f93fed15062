using System.Globalization;
using UrbanScore.Crs;

namespace UrbanScore.Wmts;

/// <summary>
/// A SupportedCRS string read the way GDAL reads it (wmts.md F3 and pitfall 2): the short <c>EPSG:n</c> form is taken as
/// x/y whatever EPSG says; URN and URL forms follow EPSG's axis order.
/// </summary>
/// <param name="Epsg">Canonical EPSG code (CRS84 → 4326), or null for a non-EPSG CRS.</param>
/// <param name="IsGeographic">Whether the CRS is geographic (degrees).</param>
/// <param name="SwapAxes">Whether coordinates are written y first (northing/latitude first) and must be swapped.</param>
internal readonly record struct WmtsCrs(int? Epsg, bool IsGeographic, bool SwapAxes)
{
    public static WmtsCrs Parse(string text)
    {
        var crs = text.Trim();
        if (IsCrs84(crs))
        {
            return new WmtsCrs(Epsg: 4326, IsGeographic: true, SwapAxes: false);
        }

        var shortForm = crs.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase);
        int? code = null;
        if (shortForm || crs.StartsWith("urn:ogc:def:crs:EPSG:", StringComparison.OrdinalIgnoreCase)
            || crs.StartsWith("urn:x-ogc:def:crs:EPSG:", StringComparison.OrdinalIgnoreCase))
        {
            // Last ':'-separated field: EPSG::3857, EPSG:6.18:3:3857 (the spec's wrong example), EPSG:6.3:3067, EPSG:3857.
            code = ParseCode(crs[(crs.LastIndexOf(':') + 1)..]);
        }
        else if (crs.Contains("/def/crs/EPSG/", StringComparison.OrdinalIgnoreCase) || crs.Contains("epsg.xml#", StringComparison.OrdinalIgnoreCase))
        {
            code = ParseCode(crs[(crs.LastIndexOfAny(['/', '#']) + 1)..]);
        }

        if (code is not { } epsg)
        {
            return new WmtsCrs(Epsg: null, IsGeographic: false, SwapAxes: false);
        }

        epsg = CrsRegistry.Canonical(epsg);
        var geographic = CrsWkt.IsGeographic(epsg)
            || (CrsRegistry.TryGet(epsg, out var system) && system is ProjNet.CoordinateSystems.GeographicCoordinateSystem);
        return new WmtsCrs(Epsg: epsg, IsGeographic: geographic, SwapAxes: !shortForm && CrsWkt.IsNorthingFirst(epsg));
    }

    private static bool IsCrs84(string crs) =>
        crs.EndsWith(":CRS84", StringComparison.OrdinalIgnoreCase)
        || crs.EndsWith("/CRS84", StringComparison.OrdinalIgnoreCase)
        || string.Equals(crs, "CRS:84", StringComparison.OrdinalIgnoreCase);

    private static int? ParseCode(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code > 0 ? code : null;
}
