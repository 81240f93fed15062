using System.Collections.Concurrent;
using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Runs;

/// <summary>
/// A source that answers tiles fetched by the preflight once, from memory, and everything else from the source it
/// wraps: the preflight's requests are not repeated. The buffers of the primed tiles pass to whoever fetches them.
/// </summary>
internal sealed class PrimedTileSource : ITileSource
{
    private readonly ITileSource _inner;
    private readonly ConcurrentDictionary<TileIndex, FetchedTile> _primed;

    public PrimedTileSource(ITileSource inner, IDictionary<TileIndex, FetchedTile> primed)
    {
        _inner = inner;
        _primed = new ConcurrentDictionary<TileIndex, FetchedTile>(primed);
    }

    public string Description => _inner.Description;

    public TileMatrixSet MatrixSet => _inner.MatrixSet;

    public Task<FetchedTile> FetchAsync(TileIndex tile, CancellationToken cancellationToken) =>
        _primed.TryRemove(tile, out var fetched) ? Task.FromResult(fetched) : _inner.FetchAsync(tile, cancellationToken);
}
