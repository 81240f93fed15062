namespace UrbanScore.Tiling;

/// <summary>An inclusive run of tile columns in one row of a cover.</summary>
/// <param name="Start">First column (west).</param>
/// <param name="End">Last column (east), inclusive.</param>
internal readonly record struct ColumnInterval(long Start, long End)
{
    public long Length => End - Start + 1;
}
