namespace UrbanScore.Tiling;

/// <summary>An inclusive rectangle of tiles at one matrix level.</summary>
/// <param name="Zoom">Matrix level.</param>
/// <param name="MinCol">First column (west).</param>
/// <param name="MinRow">First row (north).</param>
/// <param name="MaxCol">Last column (east), inclusive.</param>
/// <param name="MaxRow">Last row (south), inclusive.</param>
public readonly record struct TileRange(int Zoom, int MinCol, int MinRow, int MaxCol, int MaxRow)
{
    /// <summary>Number of columns.</summary>
    public int Width => MaxCol - MinCol + 1;

    /// <summary>Number of rows.</summary>
    public int Height => MaxRow - MinRow + 1;

    /// <summary>Number of tiles.</summary>
    public long Count => (long)Width * Height;

    /// <summary>Whether the tile lies inside the range (same zoom).</summary>
    public bool Contains(TileIndex tile) =>
        tile.Zoom == Zoom && tile.Col >= MinCol && tile.Col <= MaxCol && tile.Row >= MinRow && tile.Row <= MaxRow;

    /// <summary>Tiles in row-major order (north to south, west to east), streamed.</summary>
    public IEnumerable<TileIndex> Enumerate()
    {
        for (var row = MinRow; row <= MaxRow; row++)
        {
            for (var col = MinCol; col <= MaxCol; col++)
            {
                yield return new TileIndex(Zoom: Zoom, Col: col, Row: row);
            }
        }
    }
}
