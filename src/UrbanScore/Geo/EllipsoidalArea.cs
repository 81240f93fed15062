namespace UrbanScore.Geo;

/// <summary>
/// Ground areas on the WGS 84 ellipsoid through the ellipsoidal cylindrical equal-area projection (docs/analysis.md):
/// x = a·λ, y = a·q(φ)/2 with q the authalic function, so planar areas in (x, y) are ellipsoidal areas exactly, and
/// meridians and parallels stay straight, axis-aligned lines. A longitude/latitude rectangle (any web-mercator or
/// EPSG:4326 tile) therefore has a closed-form area, and any other polygon's area is its planar area in this plane.
/// </summary>
internal static class EllipsoidalArea
{
    /// <summary>WGS 84 semi-major axis, metres.</summary>
    public const double SemiMajorAxis = 6378137.0;

    /// <summary>WGS 84 inverse flattening.</summary>
    public const double InverseFlattening = 298.257223563;

    private const double Flattening = 1 / InverseFlattening;
    private const double EccentricitySquared = Flattening * (2 - Flattening);
    private static readonly double s_eccentricity = Math.Sqrt(EccentricitySquared);

    /// <summary>Surface of the whole WGS 84 ellipsoid in m² (≈ 510,065,621.7 km²).</summary>
    public static double EllipsoidSquareMetres => 2 * Math.PI * SemiMajorAxis * SemiMajorAxis * Q(1.0);

    /// <summary>Ellipsoidal area in m² of the longitude/latitude rectangle west..east × south..north (degrees).</summary>
    /// <remarks>A · Δλ · (q(φ₂) − q(φ₁)) · a²/2; latitudes are clamped to ±90°, east &lt; west wraps across ±180°.</remarks>
    public static double RectangleSquareMetres(double west, double south, double east, double north)
    {
        var span = east - west;
        if (span < 0)
        {
            span += 360;
        }

        var (_, y0) = Project(0, south);
        var (_, y1) = Project(0, north);
        return SemiMajorAxis * (span * Math.PI / 180) * Math.Abs(y1 - y0);
    }

    /// <summary>Longitude/latitude (degrees) to the equal-area plane (metres): x = a·λ, y = a·q(φ)/2.</summary>
    public static (double X, double Y) Project(double lon, double lat)
    {
        var sinLat = Math.Sin(Math.Clamp(lat, -90, 90) * Math.PI / 180);
        return (SemiMajorAxis * lon * Math.PI / 180, SemiMajorAxis * Q(sinLat) / 2);
    }

    /// <summary>The authalic function q(φ) = (1 − e²)·(sin φ / (1 − e² sin² φ) + artanh(e sin φ) / e) (docs/analysis.md).</summary>
    private static double Q(double sinLat) =>
        (1 - EccentricitySquared) * ((sinLat / (1 - (EccentricitySquared * sinLat * sinLat))) + (Math.Atanh(s_eccentricity * sinLat) / s_eccentricity));
}
