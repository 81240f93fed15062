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
    /// <summary>Marks the dimension values at the end of a RESTful source description ("… with dimensions Time=2020").</summary>
    internal const string DimensionsMarker = " with dimensions ";

    /// <summary>Row and column of the sample tile a zoom's <see cref="TileUrlPattern"/> is compiled from: 10-digit
    /// numbers no other part of a GetTile URL is expected to hold (checked: each must occur exactly once).</summary>
    internal const int RowSentinel = 1_357_913_579;

    internal const int ColSentinel = 2_046_802_468;

    /// <summary>Stands in a zoom's slot when its sample URL could not be compiled: that zoom builds every URL in full.</summary>
    private static readonly TileUrlPattern s_buildInFull = TileUrlPattern.Xyz(string.Empty);

    private readonly HttpTileFetcher _fetcher;

    /// <summary>Per zoom, the GetTile URL compiled once (what differs per tile is only its row and column); null until
    /// first used. A race compiles the same pattern twice, harmlessly.</summary>
    private readonly TileUrlPattern?[] _patterns;

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
        _patterns = new TileUrlPattern?[selection.MatrixSet.Matrices.Count];
        var probe = TileUri(new TileIndex(Zoom: 0, Col: 0, Row: 0));
        // The viewer rebuilds a RESTful template from this description, so the dimension values chosen travel with it.
        var dimensions = selection.Dimensions.Count == 0 ? string.Empty
            : DimensionsMarker + string.Join(", ", selection.Dimensions.Select(d => d.Key + "=" + d.Value));
        var how = selection.Encoding == WmtsEncoding.Rest ? "REST " + selection.Template!.Template + dimensions : "KVP " + probe;
        Description = fetcher.Redact(
            $"WMTS layer '{selection.Layer.Identifier}' ({selection.Definition.Identifier}, style '{selection.Style}', {selection.Format}) via {how}") + fetcher.HeadersNote;
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
        if ((uint)tile.Zoom < (uint)_patterns.Length && tile.Row >= 0 && tile.Col >= 0)
        {
            var pattern = _patterns[tile.Zoom] ??= TileUrlPattern.FromSample(
                Build(tile with { Row = RowSentinel, Col = ColSentinel }).AbsoluteUri, RowSentinel, ColSentinel) ?? s_buildInFull;
            if (!ReferenceEquals(pattern, s_buildInFull))
            {
                return new Uri(pattern.Format(tile));
            }
        }

        return Build(tile);
    }

    /// <summary>The GetTile URL from the selection itself (the patterns are compiled from it).</summary>
    private Uri Build(TileIndex tile)
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
