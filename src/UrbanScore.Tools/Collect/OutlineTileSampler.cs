using UrbanScore.Analysis;
using UrbanScore.Tiling;

namespace UrbanScore.Tools.Collect;

/// <summary>
/// A seeded, uniform sample (without replacement) of the tiles inside city outlines: every tile of the outlines' cover
/// that passes the inside rule gets a key from a seeded hash, and the tiles with the smallest keys are kept in key
/// order, so memory stays bounded by the sample, not the outlines' size. Not thread-safe.
/// </summary>
internal sealed class OutlineTileSampler
{
    private readonly TileIndex[] _ordered;
    private int _next;

    /// <param name="outlines">Which share of each tile lies inside the outlines (web-mercator level of the dataset).</param>
    /// <param name="minShare">Share of a tile inside the outlines that makes it a positive, or null for the centre rule.</param>
    /// <param name="seed">Seed of the sample.</param>
    /// <param name="keep">Tiles to keep at most (the count asked for plus replacements).</param>
    /// <param name="taken">Tiles sampled are added to it (so negatives never repeat them).</param>
    public OutlineTileSampler(OutlineShare outlines, double? minShare, int seed, int keep, HashSet<TileIndex> taken)
    {
        // Max-heap on the key (PriorityQueue is a min-heap, so the key is negated): the root is the worst kept tile.
        var heap = new PriorityQueue<TileIndex, ulong>(keep + 1, Comparer<ulong>.Create((a, b) => b.CompareTo(a)));
        foreach (var tile in outlines.Cover.Enumerate())
        {
            var inside = minShare is { } share ? outlines.Share(tile) >= share : outlines.ContainsCentre(tile);
            if (!inside)
            {
                continue;
            }

            Eligible++;
            var key = Key(seed, tile);
            if (heap.Count < keep)
            {
                heap.Enqueue(tile, key);
            }
            else if (keep > 0 && heap.TryPeek(out _, out var worst) && key < worst)
            {
                heap.DequeueEnqueue(tile, key);
            }
        }

        var kept = new List<(TileIndex Tile, ulong Key)>(heap.Count);
        while (heap.TryDequeue(out var tile, out var key))
        {
            kept.Add((tile, key));
        }

        _ordered = [.. kept.OrderBy(k => k.Key).ThenBy(k => k.Tile.Row).ThenBy(k => k.Tile.Col).Select(k => k.Tile)];
        foreach (var tile in _ordered)
        {
            taken.Add(tile);
        }
    }

    /// <summary>Tiles inside the outlines by the inside rule (the population sampled from).</summary>
    public long Eligible { get; }

    /// <summary>The next tile of the sample, or null when the kept tiles are used up.</summary>
    public TileIndex? Next() => _next < _ordered.Length ? _ordered[_next++] : null;

    /// <summary>SplitMix64 over the seed, zoom, column and row: a uniform 64-bit key independent of enumeration order.</summary>
    private static ulong Key(int seed, TileIndex tile) =>
        Mix(Mix(Mix((ulong)(uint)seed ^ ((ulong)(uint)tile.Zoom << 40)) ^ (uint)tile.Col) ^ (uint)tile.Row);

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
