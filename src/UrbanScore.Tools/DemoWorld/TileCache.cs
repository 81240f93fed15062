using UrbanScore.Tiling;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>A small thread-safe LRU cache of encoded tiles (the arrays are shared read-only; never modify them).</summary>
internal sealed class TileCache
{
    private readonly int _capacity;
    private readonly Dictionary<TileIndex, LinkedListNode<(TileIndex Tile, byte[] Bytes)>> _map = [];
    private readonly LinkedList<(TileIndex Tile, byte[] Bytes)> _order = new();
    private readonly Lock _lock = new();

    public TileCache(int capacity) => _capacity = capacity;

    public byte[] GetOrAdd(TileIndex tile, Func<TileIndex, byte[]> render)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(tile, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                return node.Value.Bytes;
            }
        }

        // Rendered outside the lock so requests for different tiles run in parallel; a duplicate render is harmless.
        var bytes = render(tile);
        lock (_lock)
        {
            if (!_map.ContainsKey(tile))
            {
                _map[tile] = _order.AddFirst((tile, bytes));
                if (_map.Count > _capacity)
                {
                    _map.Remove(_order.Last!.Value.Tile);
                    _order.RemoveLast();
                }
            }
        }

        return bytes;
    }
}
