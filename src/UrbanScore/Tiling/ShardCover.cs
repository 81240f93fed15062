namespace UrbanScore.Tiling;

/// <summary>
/// One part of a cover for scale-out (<c>--shard K/N</c>): the tiles with ordinals
/// [<see cref="Shard.Start"/>, Start + <see cref="Shard.Size"/>) in the full cover's block order. Parts are disjoint,
/// their union is the cover, sizes differ by at most one tile, and since the order is by 2^k × 2^k blocks each part is
/// a run of whole blocks (split only at its two ends): spatially compact, and deterministic for the same area, matrix
/// set, zoom and version, so N machines need no coordination.
/// </summary>
internal sealed class ShardCover : ITileCover
{
    private readonly ITileCover _full;
    private readonly long _start;
    private TileRange? _extent;

    /// <summary>Creates part <paramref name="shard"/> of <paramref name="full"/> (borrowed).</summary>
    /// <exception cref="UrbanScoreException">The part is empty (more parts than tiles).</exception>
    public ShardCover(ITileCover full, Shard shard)
    {
        ArgumentNullException.ThrowIfNull(full);
        _full = full;
        Shard = shard;
        _start = shard.Start(full.Count);
        Count = shard.Size(full.Count);
        if (Count == 0)
        {
            throw new UrbanScoreException($"Shard {shard} of a cover of {full.Count} tiles is empty; use fewer shards than tiles.");
        }
    }

    /// <summary>Which part.</summary>
    public Shard Shard { get; }

    /// <inheritdoc />
    public int Zoom => _full.Zoom;

    /// <inheritdoc />
    public long Count { get; }

    /// <inheritdoc />
    /// <remarks>Computed on first use by one pass over the part's tiles.</remarks>
    public TileRange Extent => _extent ??= ComputeExtent();

    /// <inheritdoc />
    public IEnumerable<TileIndex> Enumerate()
    {
        long skip = _start;
        IEnumerable<TileIndex> source = _full.Enumerate();
        if (_full is PolygonCover polygon)
        {
            // Skip whole block rows by their counts instead of tile by tile.
            var blockRows = 0;
            while (blockRows < polygon.BlockRowCounts.Count && polygon.BlockRowCounts[blockRows] <= skip)
            {
                skip -= polygon.BlockRowCounts[blockRows++];
            }

            source = polygon.EnumerateFrom(blockRows);
        }

        long taken = 0;
        foreach (var tile in source)
        {
            if (skip > 0)
            {
                skip--;
                continue;
            }

            if (taken++ == Count)
            {
                yield break;
            }

            yield return tile;
        }
    }

    private TileRange ComputeExtent()
    {
        int minCol = int.MaxValue, minRow = int.MaxValue, maxCol = int.MinValue, maxRow = int.MinValue;
        foreach (var tile in Enumerate())
        {
            minCol = Math.Min(minCol, tile.Col);
            maxCol = Math.Max(maxCol, tile.Col);
            minRow = Math.Min(minRow, tile.Row);
            maxRow = Math.Max(maxRow, tile.Row);
        }

        return new TileRange(Zoom: Zoom, MinCol: minCol, MinRow: minRow, MaxCol: maxCol, MaxRow: maxRow);
    }
}
