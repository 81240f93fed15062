using UrbanScore.Tiling;

namespace UrbanScore.Geo;

/// <summary>
/// An area to score, defined in WGS 84 (a box, a polygon, a country, a tile list). The seam between how a user
/// names an area and the tiles that cover it in a given tile matrix set.
/// </summary>
public abstract class Area
{
    /// <summary>Bounds in EPSG:4326 degrees (x = longitude); MinX &gt; MaxX when the area crosses the antimeridian.</summary>
    public abstract BoundingBox LonLatBounds { get; }

    /// <summary>A short description for logs and run.json.</summary>
    public abstract string Description { get; }

    /// <summary>Ground area on the WGS 84 ellipsoid, km² (a tile list: the sum of its web-mercator tiles).</summary>
    public abstract double SquareKilometres { get; }

    /// <summary>The tiles of level <paramref name="zoom"/> of <paramref name="matrixSet"/> that cover the area.</summary>
    /// <exception cref="UrbanScoreException">The zoom is not a level of the set, or the area is outside it.</exception>
    public abstract ITileCover Cover(TileMatrixSet matrixSet, int zoom);
}
