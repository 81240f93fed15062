using System.Buffers;
using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tests.Collect;

/// <summary>The demo world as an in-process tile source, answering "empty" for the tiles <c>isEmpty</c> picks.</summary>
internal sealed class DemoWorldTileSource(Func<TileIndex, bool> isEmpty) : ITileSource
{
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);

    public string Description => "demo world (in process)";

    public TileMatrixSet MatrixSet { get; } = TileMatrixSet.WebMercatorQuad();

    public Task<FetchedTile> FetchAsync(TileIndex tile, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        if (isEmpty(tile))
        {
            return Task.FromResult(FetchedTile.Empty(tile, FailureKind.Blank, "blank tile", 1));
        }

        var bytes = DemoWorldRenderer.Default.RenderJpeg(tile);
        var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(buffer, 0);
        return Task.FromResult(FetchedTile.Image(tile, buffer, bytes.Length, 1));
    }
}
