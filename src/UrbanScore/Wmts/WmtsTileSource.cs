using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Wmts;

/// <summary>
/// Tiles of one WMTS layer in one tile matrix set, over RESTful or KVP GetTile as <see cref="WmtsSelection.Encoding"/>
/// says. <see cref="TileIndex.Zoom"/> is the index of the matrix in <see cref="MatrixSet"/>. Tiles outside the matrix or
/// the layer's TileMatrixSetLimits are answered <see cref="FetchStatus.Empty"/> without a request. Borrows the fetcher:
/// the caller owns and disposes it. Thread-safe.
/// </summary>
public sealed class WmtsTileSource : ITileSource
{
    private readonly HttpTileFetcher _fetcher;

    /// <summary>Creates the source and checks that a tile URL can be built (every template placeholder is known).</summary>
    /// <param name="selection">What to fetch, from <see cref="WmtsSelection.Select"/>.</param>
    /// <param name="fetcher">The shared fetcher (borrowed).</param>
    /// <exception cref="WmtsCapabilitiesException">The template has an unknown placeholder or cannot be made absolute.</exception>
    public WmtsTileSource(WmtsSelection selection, HttpTileFetcher fetcher)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(fetcher);
        Selection = selection;
        _fetcher = fetcher;
        var probe = TileUri(new TileIndex(Zoom: 0, Col: 0, Row: 0));
        var how = selection.Encoding == WmtsEncoding.Rest ? "REST " + selection.Template!.Template : "KVP " + probe;
        Description = fetcher.Redact(
            $"WMTS layer '{selection.Layer.Identifier}' ({selection.Definition.Identifier}, style '{selection.Style}', {selection.Format}) via {how}");
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public TileMatrixSet MatrixSet => Selection.MatrixSet;

    /// <summary>The resolved selection.</summary>
    public WmtsSelection Selection { get; }

    /// <summary>The GetTile URL of a tile (it may carry secrets: redact before showing it).</summary>
    public Uri TileUri(TileIndex tile)
    {
        var matrix = MatrixSet[tile.Zoom];
        return Selection.Encoding == WmtsEncoding.Rest
            ? WmtsUrlBuilder.Rest(Selection, matrix, tile)
            : WmtsUrlBuilder.Kvp(Selection, matrix, tile);
    }

    /// <inheritdoc />
    public Task<FetchedTile> FetchAsync(TileIndex tile, CancellationToken cancellationToken)
    {
        if (!Selection.Contains(tile))
        {
            // Never ask for what the server says it does not have (OGC 07-057r7 §7.1.1.4, TileMatrixSetLimits).
            return Task.FromResult(FetchedTile.Empty(tile, FailureKind.OutsideLimits, "outside the tile matrix or the layer's TileMatrixSetLimits", 0));
        }

        return _fetcher.FetchAsync(tile, TileUri(tile), cancellationToken);
    }
}
