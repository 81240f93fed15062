using System.Globalization;
using UrbanScore.Tiling;

namespace UrbanScore.Geo;

/// <summary>A longitude/latitude box (<c>--bbox</c>); MinX &gt; MaxX crosses the antimeridian.</summary>
public sealed class BoxArea : Area
{
    /// <summary>Creates the area; validates the box.</summary>
    /// <exception cref="UrbanScoreException">The box is invalid.</exception>
    public BoxArea(BoundingBox lonLatBox)
    {
        TileCover.Validate(lonLatBox);
        LonLatBounds = lonLatBox;
    }

    /// <inheritdoc />
    public override BoundingBox LonLatBounds { get; }

    /// <inheritdoc />
    public override string Description => string.Create(CultureInfo.InvariantCulture,
        $"bbox {LonLatBounds.MinX},{LonLatBounds.MinY},{LonLatBounds.MaxX},{LonLatBounds.MaxY}");

    /// <inheritdoc />
    public override double SquareKilometres => AreaGeometry.SquareKilometres(LonLatBounds);

    /// <inheritdoc />
    public override ITileCover Cover(TileMatrixSet matrixSet, int zoom) => new RangeCover(TileCover.ForBoundingBox(LonLatBounds, matrixSet, zoom));
}
