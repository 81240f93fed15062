namespace UrbanScore.Tiling;

/// <summary>
/// An axis-aligned box in x/y order (longitude/latitude for EPSG:4326, easting/northing for projected CRSs).
/// Always construct with named arguments: NetTopologySuite's Envelope takes (x1, x2, y1, y2), others take
/// (minX, minY, maxX, maxY).
/// </summary>
/// <param name="MinX">West edge.</param>
/// <param name="MinY">South edge.</param>
/// <param name="MaxX">East edge.</param>
/// <param name="MaxY">North edge.</param>
public readonly record struct BoundingBox(double MinX, double MinY, double MaxX, double MaxY)
{
    /// <summary>Width in CRS units.</summary>
    public double Width => MaxX - MinX;

    /// <summary>Height in CRS units.</summary>
    public double Height => MaxY - MinY;

    /// <summary>The smallest box holding both boxes.</summary>
    public BoundingBox Union(BoundingBox other) => new(
        MinX: Math.Min(MinX, other.MinX),
        MinY: Math.Min(MinY, other.MinY),
        MaxX: Math.Max(MaxX, other.MaxX),
        MaxY: Math.Max(MaxY, other.MaxY));
}
