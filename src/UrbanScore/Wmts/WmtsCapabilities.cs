namespace UrbanScore.Wmts;

/// <summary>A parsed WMTS 1.0.0 GetCapabilities document. Immutable.</summary>
public sealed class WmtsCapabilities
{
    /// <summary>Creates the document model.</summary>
    /// <param name="title">ServiceIdentification title, or null.</param>
    /// <param name="layers">Layers in document order.</param>
    /// <param name="tileMatrixSets">Tile matrix sets in document order.</param>
    /// <param name="getTileKvp">Absolute GetTile href advertised for KVP (or with no encoding constraint), or null.</param>
    /// <param name="getTileRest">Absolute GetTile href advertised for RESTful, or null.</param>
    /// <param name="source">Where the document came from (URL or file), used to resolve relative hrefs; or null.</param>
    public WmtsCapabilities(string? title, IReadOnlyList<WmtsLayer> layers, IReadOnlyList<WmtsTileMatrixSet> tileMatrixSets, Uri? getTileKvp, Uri? getTileRest, Uri? source)
    {
        Title = title;
        Layers = layers;
        TileMatrixSets = tileMatrixSets;
        GetTileKvp = getTileKvp;
        GetTileRest = getTileRest;
        Source = source;
    }

    /// <summary>Service title, or null.</summary>
    public string? Title { get; }

    /// <summary>Layers in document order.</summary>
    public IReadOnlyList<WmtsLayer> Layers { get; }

    /// <summary>Tile matrix sets in document order.</summary>
    public IReadOnlyList<WmtsTileMatrixSet> TileMatrixSets { get; }

    /// <summary>
    /// The GetTile endpoint for KVP requests (resolved against <see cref="Source"/>), or null when the document
    /// advertises none (REST-only services).
    /// </summary>
    public Uri? GetTileKvp { get; }

    /// <summary>The GetTile endpoint advertised for RESTful requests, or null.</summary>
    public Uri? GetTileRest { get; }

    /// <summary>The capabilities URL or file the document was read from, or null.</summary>
    public Uri? Source { get; }

    /// <summary>The layer with an identifier (ordinal comparison), or null.</summary>
    public WmtsLayer? FindLayer(string identifier) =>
        Layers.FirstOrDefault(l => string.Equals(l.Identifier, identifier, StringComparison.Ordinal));

    /// <summary>The tile matrix set with an identifier (ordinal comparison), or null.</summary>
    public WmtsTileMatrixSet? FindTileMatrixSet(string identifier) =>
        TileMatrixSets.FirstOrDefault(t => string.Equals(t.Identifier, identifier, StringComparison.Ordinal));
}
