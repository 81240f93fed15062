namespace UrbanScore.Tiling;

/// <summary>
/// One polygon edge in tile units of a matrix: u = columns east of the matrix origin, v = rows south of it (so a tile
/// (col, row) is the square [col, col + 1] × [row, row + 1]).
/// </summary>
internal readonly record struct CoverEdge(double U0, double V0, double U1, double V1)
{
    public double VMin => Math.Min(V0, V1);

    public double VMax => Math.Max(V0, V1);

    /// <summary>u where the edge's line meets the horizontal line v (the edge must not be horizontal).</summary>
    public double UAt(double v) => U0 + ((v - V0) * (U1 - U0) / (V1 - V0));
}
