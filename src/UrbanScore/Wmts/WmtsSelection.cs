using System.Globalization;
using UrbanScore.Crs;
using UrbanScore.Tiling;

namespace UrbanScore.Wmts;

/// <summary>
/// A resolved choice of layer, tile matrix set, style, format, dimensions, matrix level and request encoding, checked
/// against the capabilities. Build with <see cref="Select"/>. Immutable.
/// </summary>
public sealed class WmtsSelection
{
    /// <summary>Relative tolerance for "this matrix has exactly web-mercator zoom z's resolution" (servers round the scale denominators to ≤ 5e-13).</summary>
    private const double ZoomResolutionTolerance = 1e-6;

    private static readonly string[] s_formatPreference = ["image/jpeg", "image/jpg", "image/jpgpng", "image/png", "image/png8", "image/png; mode=8bit", "image/webp"];

    private readonly TileRange?[] _limits;

    private WmtsSelection(
        WmtsCapabilities capabilities,
        WmtsLayer layer,
        WmtsTileMatrixSet definition,
        TileMatrixSet matrixSet,
        string style,
        string format,
        IReadOnlyList<KeyValuePair<string, string>> dimensions,
        int? level,
        WmtsEncoding encoding,
        WmtsResourceUrl? template,
        Uri? kvpEndpoint)
    {
        Capabilities = capabilities;
        Layer = layer;
        Definition = definition;
        MatrixSet = matrixSet;
        Style = style;
        Format = format;
        Dimensions = dimensions;
        Level = level;
        Encoding = encoding;
        Template = template;
        KvpEndpoint = kvpEndpoint;
        _limits = BuildLimits(definition, matrixSet, layer);
    }

    /// <summary>The capabilities the selection was made from.</summary>
    public WmtsCapabilities Capabilities { get; }

    /// <summary>The layer.</summary>
    public WmtsLayer Layer { get; }

    /// <summary>The tile matrix set as the document defines it.</summary>
    public WmtsTileMatrixSet Definition { get; }

    /// <summary>The tile matrix set converted for the engine (coarse to fine; <see cref="TileIndex.Zoom"/> indexes it).</summary>
    public TileMatrixSet MatrixSet { get; }

    /// <summary>STYLE value (may be empty; always sent).</summary>
    public string Style { get; }

    /// <summary>FORMAT value, exactly as advertised.</summary>
    public string Format { get; }

    /// <summary>Every dimension of the layer with the value to send.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Dimensions { get; }

    /// <summary>The matrix level (index in <see cref="MatrixSet"/>) chosen by zoom or TileMatrix id, or null when neither was given.</summary>
    public int? Level { get; }

    /// <summary>The encoding used: <see cref="WmtsEncoding.Rest"/> or <see cref="WmtsEncoding.Kvp"/>, never Auto.</summary>
    public WmtsEncoding Encoding { get; }

    /// <summary>The tile ResourceURL used for RESTful requests, or null for KVP.</summary>
    public WmtsResourceUrl? Template { get; }

    /// <summary>The GetTile endpoint used for KVP requests, or null for REST.</summary>
    public Uri? KvpEndpoint { get; }

    /// <summary>
    /// The tiles of a level that exist: the whole matrix intersected with the layer's TileMatrixSetLimits for it (asking
    /// outside them floods the server with 404s). Null when the limits exclude the whole level.
    /// </summary>
    public TileRange? Available(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, MatrixSet.Matrices.Count);
        return _limits[level];
    }

    /// <summary>A range clipped to <see cref="Available"/>; null when nothing of it exists.</summary>
    public TileRange? Restrict(TileRange range)
    {
        if (Available(range.Zoom) is not { } available)
        {
            return null;
        }

        var clipped = new TileRange(
            Zoom: range.Zoom,
            MinCol: Math.Max(range.MinCol, available.MinCol),
            MinRow: Math.Max(range.MinRow, available.MinRow),
            MaxCol: Math.Min(range.MaxCol, available.MaxCol),
            MaxRow: Math.Min(range.MaxRow, available.MaxRow));
        return clipped.MinCol > clipped.MaxCol || clipped.MinRow > clipped.MaxRow ? null : clipped;
    }

    /// <summary>Whether a tile lies inside its matrix and the layer's limits.</summary>
    public bool Contains(TileIndex tile) =>
        tile.Zoom >= 0 && tile.Zoom < MatrixSet.Matrices.Count && _limits[tile.Zoom] is { } range && range.Contains(tile);

    /// <summary>Resolves the options against the capabilities.</summary>
    /// <exception cref="WmtsCapabilitiesException">A choice is ambiguous or not offered; the message lists what is.</exception>
    /// <exception cref="Crs.UnsupportedCrsException">The chosen set's CRS cannot be transformed to.</exception>
    public static WmtsSelection Select(WmtsCapabilities capabilities, WmtsSelectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(options);
        var layer = SelectLayer(capabilities, options.Layer);
        var definition = SelectTileMatrixSet(capabilities, layer, options.TileMatrixSet);
        var matrixSet = definition.ToTileMatrixSet();
        var style = SelectStyle(layer, options.Style);
        var format = SelectFormat(layer, options.Format);
        var dimensions = SelectDimensions(layer, options.Dimensions);
        if (options.Zoom is not null && options.TileMatrix is not null)
        {
            throw new WmtsCapabilitiesException("Give either a zoom level or a tile matrix, not both.") { Subject = InputSubject.TileMatrix };
        }

        int? level = options.Zoom is { } zoom ? LevelForZoom(definition, matrixSet, zoom, options.ReferenceLatitude)
            : options.TileMatrix is { } id ? LevelForIdentifier(matrixSet, id)
            : null;
        var (encoding, template, endpoint) = SelectEncoding(capabilities, layer, format, options.Encoding);
        return new WmtsSelection(capabilities, layer, definition, matrixSet, style, format, dimensions, level, encoding, template, endpoint);
    }

    /// <summary>
    /// The level for a web-mercator zoom (identifiers are opaque, so levels are matched by resolution, as OpenLayers does): in a WebMercatorQuad-compatible set the matrix whose resolution is
    /// that zoom's within <see cref="ZoomResolutionTolerance"/>; otherwise the matrix with the smallest
    /// |log(ground pixel / zoom's ground pixel at the latitude)|.
    /// </summary>
    internal static int LevelForZoom(WmtsTileMatrixSet definition, TileMatrixSet matrixSet, int zoom, double latitude)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(zoom);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(zoom, WebMercator.MaxZoom);
        if (IsWebMercatorCompatible(matrixSet))
        {
            for (var i = 0; i < matrixSet.Matrices.Count; i++)
            {
                var ratio = matrixSet.Matrices[i].Resolution * Math.Pow(2, zoom) / WebMercator.Level0Resolution;
                if (Math.Abs(ratio - 1.0) < ZoomResolutionTolerance)
                {
                    return i;
                }
            }

            var zooms = matrixSet.Matrices
                .Select(m => Math.Log2(WebMercator.Level0Resolution / m.Resolution))
                .Where(z => Math.Abs(z - Math.Round(z)) < 1e-6)
                .Select(z => ((int)Math.Round(z)).ToString(CultureInfo.InvariantCulture));
            throw new WmtsCapabilitiesException($"The tile matrix set '{matrixSet.Identifier}' has no matrix for zoom {zoom.ToString(CultureInfo.InvariantCulture)}; choose one of the zooms {string.Join(", ", zooms)}.");
        }

        var target = WebMercator.Resolution(zoom) * Math.Cos(Math.Clamp(latitude, -85.0, 85.0) * Math.PI / 180.0);
        var best = 0;
        var bestDistance = double.MaxValue;
        for (var i = 0; i < matrixSet.Matrices.Count; i++)
        {
            var distance = Math.Abs(Math.Log(matrixSet.Matrices[i].Resolution * definition.MetresPerUnit / target));
            if (distance < bestDistance)
            {
                best = i;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Whether every matrix is on the web-mercator square grid (EPSG:3857, 256 px, corner within 1 m of ±πR).</summary>
    internal static bool IsWebMercatorCompatible(TileMatrixSet set) =>
        set.Epsg == WebMercator.Epsg
        && set.Matrices.All(m => m.TileWidth == WebMercator.TileSize && m.TileHeight == WebMercator.TileSize
            && Math.Abs(m.TopLeftX + WebMercator.HalfCircumference) < 1.0 && Math.Abs(m.TopLeftY - WebMercator.HalfCircumference) < 1.0);

    private static int LevelForIdentifier(TileMatrixSet set, string identifier)
    {
        for (var i = 0; i < set.Matrices.Count; i++)
        {
            if (string.Equals(set.Matrices[i].Identifier, identifier, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new WmtsCapabilitiesException($"The tile matrix set '{set.Identifier}' has no TileMatrix '{identifier}'; choose one of {string.Join(", ", set.Matrices.Select(m => m.Identifier))}.");
    }

    private static WmtsLayer SelectLayer(WmtsCapabilities capabilities, string? identifier)
    {
        if (capabilities.Layers.Count == 0)
        {
            throw new WmtsCapabilitiesException("The capabilities document has no layers; point UrbanScore at a service's full GetCapabilities document.");
        }

        if (identifier is null)
        {
            return capabilities.Layers.Count == 1
                ? capabilities.Layers[0]
                : throw new WmtsCapabilitiesException($"The service has {capabilities.Layers.Count.ToString(CultureInfo.InvariantCulture)} layers; choose one ({ListSome(capabilities.Layers.Select(l => l.Identifier))}).")
                { Subject = InputSubject.Layer };
        }

        return capabilities.FindLayer(identifier)
            ?? capabilities.Layers.FirstOrDefault(l => string.Equals(l.Identifier, identifier, StringComparison.OrdinalIgnoreCase))
            ?? throw new WmtsCapabilitiesException($"The service has no layer '{identifier}'; choose one of {ListSome(capabilities.Layers.Select(l => l.Identifier))}.");
    }

    private static WmtsTileMatrixSet SelectTileMatrixSet(WmtsCapabilities capabilities, WmtsLayer layer, string? identifier)
    {
        var linked = layer.TileMatrixSetLinks
            .Select(link => capabilities.FindTileMatrixSet(link.TileMatrixSet))
            .OfType<WmtsTileMatrixSet>()
            .ToList();
        string Describe() => string.Join(", ", linked.Select(s => $"{s.Identifier} ({s.SupportedCrs})"));
        if (identifier is not null)
        {
            return linked.FirstOrDefault(s => string.Equals(s.Identifier, identifier, StringComparison.Ordinal))
                ?? throw new WmtsCapabilitiesException($"The layer '{layer.Identifier}' is not offered in the tile matrix set '{identifier}'; choose one of {Describe()}.");
        }

        return linked.FirstOrDefault(s => s.Epsg == WebMercator.Epsg && s.Matrices.Count > 0)
            ?? linked.FirstOrDefault(s => s.IsCrsSupported && s.Matrices.Count > 0)
            ?? throw new WmtsCapabilitiesException(linked.Count == 0
                ? $"The layer '{layer.Identifier}' links no tile matrix set defined in the document; the capabilities are incomplete."
                : $"None of the tile matrix sets of layer '{layer.Identifier}' is in a CRS UrbanScore can transform to ({Describe()}); ask for EPSG:3857 or a supported national CRS.");
    }

    private static string SelectStyle(WmtsLayer layer, string? style)
    {
        if (style is not null)
        {
            return layer.Styles.Count == 0 || layer.Styles.Any(s => string.Equals(s.Identifier, style, StringComparison.Ordinal))
                ? style
                : throw new WmtsCapabilitiesException($"The layer '{layer.Identifier}' has no style '{style}'; choose one of {string.Join(", ", layer.Styles.Select(s => s.Identifier))}.");
        }

        foreach (var candidate in layer.Styles)
        {
            if (candidate.IsDefault)
            {
                return candidate.Identifier;
            }
        }

        return layer.Styles.Count > 0 ? layer.Styles[0].Identifier : string.Empty;
    }

    private static string SelectFormat(WmtsLayer layer, string? format)
    {
        var offered = layer.Formats
            .Concat(layer.ResourceUrls.Where(r => r.IsTile).Select(r => r.Format))
            .Where(f => f.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (format is not null)
        {
            return offered.FirstOrDefault(f => string.Equals(f, format, StringComparison.OrdinalIgnoreCase))
                ?? throw new WmtsCapabilitiesException($"The layer '{layer.Identifier}' does not offer the format '{format}'; choose one of {string.Join(", ", offered)}.");
        }

        foreach (var preferred in s_formatPreference)
        {
            if (offered.FirstOrDefault(f => string.Equals(f, preferred, StringComparison.OrdinalIgnoreCase)) is { } found)
            {
                return found;
            }
        }

        return offered.FirstOrDefault(f => f.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            ?? offered.FirstOrDefault()
            ?? throw new WmtsCapabilitiesException($"The layer '{layer.Identifier}' advertises no tile format; give the MIME type the server serves.")
            { Subject = InputSubject.Format };
    }

    private static List<KeyValuePair<string, string>> SelectDimensions(WmtsLayer layer, IReadOnlyList<KeyValuePair<string, string>> given)
    {
        foreach (var (name, _) in given)
        {
            if (!layer.Dimensions.Any(d => string.Equals(d.Identifier, name, StringComparison.OrdinalIgnoreCase)))
            {
                var known = layer.Dimensions.Count == 0 ? "it has none" : "it has " + string.Join(", ", layer.Dimensions.Select(d => d.Identifier));
                throw new WmtsCapabilitiesException($"The layer '{layer.Identifier}' has no dimension '{name}' ({known}); remove or correct that dimension.")
                { Subject = InputSubject.Dimension };
            }
        }

        var result = new List<KeyValuePair<string, string>>(layer.Dimensions.Count);
        foreach (var dimension in layer.Dimensions)
        {
            var value = given.Where(g => string.Equals(g.Key, dimension.Identifier, StringComparison.OrdinalIgnoreCase)).Select(g => g.Value).FirstOrDefault()
                ?? (string.IsNullOrEmpty(dimension.Default) ? null : dimension.Default)
                ?? (dimension.Values.Count > 0 ? dimension.Values[0] : null)
                ?? throw new WmtsCapabilitiesException($"The dimension '{dimension.Identifier}' of layer '{layer.Identifier}' has no default; give its value as {dimension.Identifier}=VALUE.")
                { Subject = InputSubject.Dimension };
            result.Add(new KeyValuePair<string, string>(dimension.Identifier, value));
        }

        return result;
    }

    private static (WmtsEncoding Encoding, WmtsResourceUrl? Template, Uri? Endpoint) SelectEncoding(WmtsCapabilities capabilities, WmtsLayer layer, string format, WmtsEncoding requested)
    {
        var tiles = layer.ResourceUrls.Where(r => r.IsTile && r.Template.Length > 0).ToList();
        var template = tiles.FirstOrDefault(r => string.Equals(r.Format, format, StringComparison.OrdinalIgnoreCase));
        var endpoint = capabilities.GetTileKvp;
        switch (requested)
        {
            case WmtsEncoding.Rest:
                return template is not null
                    ? (WmtsEncoding.Rest, template, null)
                    : throw new WmtsCapabilitiesException($"The layer '{layer.Identifier}' has no RESTful tile template for '{format}'; use the KVP encoding or another format.")
                    { Subject = InputSubject.Encoding };
            case WmtsEncoding.Kvp:
                return endpoint is not null
                    ? (WmtsEncoding.Kvp, null, endpoint)
                    : throw new WmtsCapabilitiesException("The capabilities advertise no KVP GetTile endpoint; use the REST encoding (or the service's KVP capabilities URL).")
                    { Subject = InputSubject.Encoding };
            default:
                // A ResourceURL for the format first, then KVP, then any tile template (servers disagree on which they prefer).
                if (template is not null)
                {
                    return (WmtsEncoding.Rest, template, null);
                }

                if (endpoint is not null)
                {
                    return (WmtsEncoding.Kvp, null, endpoint);
                }

                return tiles.Count > 0
                    ? (WmtsEncoding.Rest, tiles[0], null)
                    : throw new WmtsCapabilitiesException($"The layer '{layer.Identifier}' has neither a tile ResourceURL nor a KVP GetTile endpoint; the capabilities cannot be used to fetch tiles.");
        }
    }

    private static TileRange?[] BuildLimits(WmtsTileMatrixSet definition, TileMatrixSet set, WmtsLayer layer)
    {
        var link = layer.TileMatrixSetLinks.First(l => string.Equals(l.TileMatrixSet, definition.Identifier, StringComparison.Ordinal));
        var result = new TileRange?[set.Matrices.Count];
        for (var level = 0; level < set.Matrices.Count; level++)
        {
            var matrix = set.Matrices[level];
            long minCol = 0, minRow = 0, maxCol = matrix.MatrixWidth - 1, maxRow = matrix.MatrixHeight - 1;
            if (link.Limits.Count > 0)
            {
                // Limits name the same ids; OpenLayers also accepts a "<set>:<id>" prefix, and so do we.
                var limits = link.Limits.FirstOrDefault(l => string.Equals(l.TileMatrix, matrix.Identifier, StringComparison.Ordinal))
                    ?? link.Limits.FirstOrDefault(l => string.Equals(l.TileMatrix, definition.Identifier + ":" + matrix.Identifier, StringComparison.Ordinal));
                if (limits is null)
                {
                    // A matrix absent from the limits has no tiles for this layer (some clients request them anyway).
                    continue;
                }

                minCol = Math.Max(minCol, limits.MinTileCol);
                minRow = Math.Max(minRow, limits.MinTileRow);
                maxCol = Math.Min(maxCol, limits.MaxTileCol);
                maxRow = Math.Min(maxRow, limits.MaxTileRow);
            }

            if (minCol <= maxCol && minRow <= maxRow)
            {
                result[level] = new TileRange(
                    Zoom: level,
                    MinCol: (int)Math.Min(minCol, int.MaxValue),
                    MinRow: (int)Math.Min(minRow, int.MaxValue),
                    MaxCol: (int)Math.Min(maxCol, int.MaxValue),
                    MaxRow: (int)Math.Min(maxRow, int.MaxValue));
            }
        }

        return result;
    }

    private static string ListSome(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 20 ? string.Join(", ", list) : string.Join(", ", list.Take(20)) + string.Create(CultureInfo.InvariantCulture, $" and {list.Count - 20} more (see 'urbanscore capabilities')");
    }
}
