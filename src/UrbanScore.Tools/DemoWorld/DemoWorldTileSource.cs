using UrbanScore.Rendering;
using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// The demo world as a tile source: fetches over HTTP from a <see cref="DemoWorldServer"/> (so the run goes through the
/// real pipeline) but describes itself as the demo world, not the server's temporary loopback port, so the store,
/// run.json, the MBTiles/TileJSON attribution, the WMTS abstract and the GeoTIFF SOURCE tag name a source that still
/// exists after the run, and <c>urbanscore serve</c> can render its imagery. Borrows the inner source.
/// </summary>
internal sealed class DemoWorldTileSource(ITileSource served) : ITileSource
{
    /// <inheritdoc />
    public string Description => ViewerWriter.DemoWorldSource;

    /// <inheritdoc />
    public TileMatrixSet MatrixSet => served.MatrixSet;

    /// <inheritdoc />
    public Task<FetchedTile> FetchAsync(TileIndex tile, CancellationToken cancellationToken) => served.FetchAsync(tile, cancellationToken);
}
