namespace UrbanScore.Tiling;

/// <summary>
/// An explicit list of tiles (<c>--tiles list.csv</c>) as a cover: duplicates removed, ordered like
/// <see cref="PolygonCover"/> (blocks of <see cref="PolygonCover.BlockSize"/> tiles). Holds the list in memory: it
/// came from a file the user wrote.
/// </summary>
internal sealed class TileListCover : ITileCover
{
    private readonly TileIndex[] _tiles;

    /// <summary>Creates the cover; every tile must be at <paramref name="zoom"/>.</summary>
    /// <exception cref="UrbanScoreException">The list is empty or holds another zoom.</exception>
    public TileListCover(IEnumerable<TileIndex> tiles, int zoom)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        _tiles = [.. tiles.Distinct().OrderBy(t => t, Comparer<TileIndex>.Create(CompareBlockOrder))];
        if (_tiles.Length == 0)
        {
            throw new UrbanScoreException("The tile list is empty; give at least one z,x,y line.");
        }

        foreach (var other in _tiles.Where(t => t.Zoom != zoom).Select(t => t.Zoom).Take(1))
        {
            throw new UrbanScoreException($"The tile list holds zoom {other} but the run is at zoom {zoom}; list tiles of one zoom and score at that zoom.")
            { Subject = InputSubject.Zoom };
        }

        Zoom = zoom;
        Extent = new TileRange(Zoom: zoom, MinCol: _tiles.Min(t => t.Col), MinRow: _tiles.Min(t => t.Row), MaxCol: _tiles.Max(t => t.Col), MaxRow: _tiles.Max(t => t.Row));
    }

    /// <inheritdoc />
    public int Zoom { get; }

    /// <inheritdoc />
    public long Count => _tiles.Length;

    /// <inheritdoc />
    public TileRange Extent { get; }

    /// <inheritdoc />
    public IEnumerable<TileIndex> Enumerate() => Array.AsReadOnly(_tiles);

    /// <summary>Block row, block column, row, column: the order every cover of a polygon uses.</summary>
    internal static int CompareBlockOrder(TileIndex a, TileIndex b)
    {
        var c = (a.Row >> PolygonCover.BlockShift).CompareTo(b.Row >> PolygonCover.BlockShift);
        c = c != 0 ? c : (a.Col >> PolygonCover.BlockShift).CompareTo(b.Col >> PolygonCover.BlockShift);
        c = c != 0 ? c : a.Row.CompareTo(b.Row);
        return c != 0 ? c : a.Col.CompareTo(b.Col);
    }
}
