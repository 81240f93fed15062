using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace UrbanScore.Crs;

/// <summary>
/// Transforms WGS 84 longitude/latitude into a target CRS (and back) with ProjNet. ProjNet transforms are not
/// documented as thread-safe: use one instance per thread.
/// </summary>
internal sealed class Wgs84Transform
{
    private readonly MathTransform _forward;
    private readonly MathTransform _inverse;

    /// <summary>Builds the transform from EPSG:4326 to <paramref name="targetEpsg"/>.</summary>
    /// <exception cref="UnsupportedCrsException">The target CRS is not in <see cref="CrsRegistry"/>.</exception>
    public Wgs84Transform(int targetEpsg)
    {
        TargetEpsg = targetEpsg;
        var factory = new CoordinateTransformationFactory();
        var transform = factory.CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, CrsRegistry.Get(targetEpsg));
        _forward = transform.MathTransform;
        _inverse = transform.MathTransform.Inverse();
    }

    /// <summary>The target EPSG code.</summary>
    public int TargetEpsg { get; }

    /// <summary>Longitude/latitude (degrees) → target x/y (easting first).</summary>
    public (double X, double Y) Forward(double lon, double lat) => _forward.Transform(lon, lat);

    /// <summary>Target x/y (easting first) → longitude/latitude in degrees.</summary>
    public (double Lon, double Lat) Inverse(double x, double y) => _inverse.Transform(x, y);
}
