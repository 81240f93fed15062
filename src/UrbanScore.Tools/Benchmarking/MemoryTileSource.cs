using System.Buffers;
using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>
/// The end-to-end rounds' source under <see cref="BenchOptions.FromMemory"/>: hands each tile over from memory, the
/// bytes a bench tile server answers for it (<see cref="BenchTileServer.TileFor(IReadOnlyList{byte[]}, int, int)"/>),
/// copied into a pooled buffer as the HTTP fetcher's are (the pipeline returns it). No HTTP client and no server: the
/// pipeline and its sinks without the network, to set against a run that fetches.
/// </summary>
internal sealed class MemoryTileSource(IReadOnlyList<byte[]> tiles) : ITileSource
{
    /// <inheritdoc/>
    public string Description => "bench tiles from memory";

    /// <inheritdoc/>
    public TileMatrixSet MatrixSet { get; } = TileMatrixSet.WebMercatorQuad();

    /// <inheritdoc/>
    public Task<FetchedTile> FetchAsync(TileIndex tile, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = BenchTileServer.TileFor(tiles, tile.Col, tile.Row);
        var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(buffer, 0);
        return Task.FromResult(FetchedTile.Image(tile, buffer, bytes.Length, attempts: 1));
    }
}
