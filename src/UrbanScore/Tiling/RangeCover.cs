namespace UrbanScore.Tiling;

/// <summary>A cover made of disjoint tile rectangles (a box, or a box split at the antimeridian).</summary>
public sealed class RangeCover : ITileCover
{
    private readonly TileRange[] _ranges;

    /// <summary>Creates the cover; the ranges must be disjoint and share one zoom.</summary>
    public RangeCover(IReadOnlyList<TileRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0 || ranges.Any(r => r.Zoom != ranges[0].Zoom))
        {
            throw new ArgumentException("at least one range, all at one zoom", nameof(ranges));
        }

        _ranges = [.. ranges];
        Zoom = ranges[0].Zoom;
        Count = ranges.Sum(r => r.Count);
        Extent = new TileRange(
            Zoom: Zoom,
            MinCol: ranges.Min(r => r.MinCol),
            MinRow: ranges.Min(r => r.MinRow),
            MaxCol: ranges.Max(r => r.MaxCol),
            MaxRow: ranges.Max(r => r.MaxRow));
    }

    /// <summary>The rectangles.</summary>
    public IReadOnlyList<TileRange> Ranges => _ranges;

    /// <inheritdoc />
    public int Zoom { get; }

    /// <inheritdoc />
    public long Count { get; }

    /// <inheritdoc />
    public TileRange Extent { get; }

    /// <inheritdoc />
    public IEnumerable<TileIndex> Enumerate() => _ranges.SelectMany(r => r.Enumerate());
}
