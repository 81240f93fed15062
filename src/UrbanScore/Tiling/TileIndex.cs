namespace UrbanScore.Tiling;

/// <summary>
/// One tile of a tile matrix: <see cref="Zoom"/> is the index of the matrix in its set (the web-mercator zoom for
/// GoogleMapsCompatible sets), <see cref="Col"/> grows east and <see cref="Row"/> grows south from the top-left
/// tile (OGC 07-057r7 §6; XYZ "x" and "y").
/// </summary>
/// <param name="Zoom">Matrix level, 0 = coarsest.</param>
/// <param name="Col">Column (XYZ x), 0 at the west edge.</param>
/// <param name="Row">Row (XYZ y), 0 at the north edge.</param>
public readonly record struct TileIndex(int Zoom, int Col, int Row)
{
    /// <inheritdoc />
    public override string ToString() => $"{Zoom}/{Col}/{Row}";
}
