using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using UrbanScore.Tiling;

namespace UrbanScore.Wmts;

/// <summary>
/// Builds GetTile URLs. RESTful: placeholders substituted by name, case-insensitively, in any order (servers differ: GeoServer writes {style}, others {Style}),
/// relative templates resolved against the capabilities URL. KVP: the OGC parameters appended to the GetTile href (OGC
/// 07-057r7 §8.2.1), STYLE always sent (MapProxy answers 500 without it). In both, credential parameters of the capabilities URL
/// (<c>?apikey=…</c>, <c>?token=…</c>) are carried over when the server's URLs omit them (Terramonitor-style services
/// list templates without the key they were fetched with); other capabilities parameters are not carried, because they
/// belong to the GetCapabilities request.
/// </summary>
internal static partial class WmtsUrlBuilder
{
    private static readonly HashSet<string> s_ogcParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "SERVICE", "REQUEST", "VERSION", "LAYER", "STYLE", "FORMAT", "TILEMATRIXSET", "TILEMATRIX", "TILEROW", "TILECOL",
    };

    /// <summary>Expands a RESTful template for a tile; throws when a placeholder is left that nothing fills.</summary>
    public static Uri Rest(WmtsSelection selection, TileMatrix matrix, TileIndex tile)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["TileMatrixSet"] = selection.Definition.Identifier,
            ["TileMatrix"] = matrix.Identifier,
            ["TileRow"] = tile.Row.ToString(CultureInfo.InvariantCulture),
            ["TileCol"] = tile.Col.ToString(CultureInfo.InvariantCulture),
            ["Style"] = selection.Style,
            ["Layer"] = selection.Layer.Identifier,
        };
        foreach (var (name, value) in selection.Dimensions)
        {
            values[name] = value;
        }

        var template = selection.Template!.Template;
        var expanded = Placeholder().Replace(template, m =>
            values.TryGetValue(m.Groups[1].Value, out var value)
                ? EscapePathSegment(value)
                : throw new WmtsCapabilitiesException($"The tile template '{Sources.SecretRedactor.Redact(template)}' has the placeholder {m.Value}, which is neither a WMTS parameter nor a dimension of layer '{selection.Layer.Identifier}'; use the KVP encoding.")
                { Subject = InputSubject.Encoding });
        var uri = WmtsCapabilitiesParser.Resolve(expanded, selection.Capabilities.Source)
            ?? throw new WmtsCapabilitiesException($"The tile template '{Sources.SecretRedactor.Redact(template)}' is not an http(s) URL and there is no capabilities URL to resolve it against; load the capabilities from the server's URL.");
        return CarryCredentials(uri, selection.Capabilities.Source);
    }

    /// <summary>The KVP GetTile URL of a tile.</summary>
    public static Uri Kvp(WmtsSelection selection, TileMatrix matrix, TileIndex tile)
    {
        var endpoint = selection.KvpEndpoint!;
        var parameters = new List<(string Name, string Value)>
        {
            ("SERVICE", "WMTS"),
            ("REQUEST", "GetTile"),
            ("VERSION", "1.0.0"),
            ("LAYER", selection.Layer.Identifier),
            ("STYLE", selection.Style),
            ("FORMAT", selection.Format),
            ("TILEMATRIXSET", selection.Definition.Identifier),
            ("TILEMATRIX", matrix.Identifier),
            ("TILEROW", tile.Row.ToString(CultureInfo.InvariantCulture)),
            ("TILECOL", tile.Col.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var (name, value) in selection.Dimensions)
        {
            parameters.Add((name, value));
        }

        // Drop OGC parameters the href may already carry (e.g. a GetCapabilities href reused for GetTile), keep the rest (?MAP=…).
        var kept = ParseQuery(endpoint.Query).Where(p => !s_ogcParameters.Contains(p.Name) && !parameters.Any(q => string.Equals(q.Name, p.Name, StringComparison.OrdinalIgnoreCase)));
        var query = new StringBuilder();
        foreach (var (name, value) in kept)
        {
            Append(query, name, value, escapeValue: false);
        }

        foreach (var (name, value) in parameters)
        {
            Append(query, name, value, escapeValue: true);
        }

        var builder = new UriBuilder(endpoint) { Query = query.ToString() };
        return CarryCredentials(builder.Uri, selection.Capabilities.Source);
    }

    /// <summary>Adds the capabilities URL's credential parameters that <paramref name="uri"/> lacks.</summary>
    public static Uri CarryCredentials(Uri uri, Uri? capabilities)
    {
        if (capabilities is null || capabilities.IsFile || string.IsNullOrEmpty(capabilities.Query))
        {
            return uri;
        }

        var present = ParseQuery(uri.Query).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = ParseQuery(capabilities.Query).Where(p => CredentialName().IsMatch(p.Name) && !present.Contains(p.Name)).ToList();
        if (missing.Count == 0)
        {
            return uri;
        }

        var query = new StringBuilder(uri.Query.TrimStart('?'));
        foreach (var (name, value) in missing)
        {
            Append(query, name, value, escapeValue: false);
        }

        return new UriBuilder(uri) { Query = query.ToString() }.Uri;
    }

    private static void Append(StringBuilder query, string name, string value, bool escapeValue)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(name).Append('=').Append(escapeValue ? Uri.EscapeDataString(value) : value);
    }

    /// <summary>Query parameters as written (still escaped).</summary>
    private static IEnumerable<(string Name, string Value)> ParseQuery(string query)
    {
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            yield return equals < 0 ? (part, string.Empty) : (part[..equals], part[(equals + 1)..]);
        }
    }

    /// <summary>Escapes what RFC 3986 does not allow in a path segment; keeps ':' and '@' ("EPSG:3857:5" stays readable).</summary>
    private static string EscapePathSegment(string value) =>
        Uri.EscapeDataString(value).Replace("%3A", ":", StringComparison.Ordinal).Replace("%40", "@", StringComparison.Ordinal);

    [GeneratedRegex(@"\{([^{}]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    // The credential parameter names SecretRedactor also masks.
    [GeneratedRegex(@"^(?:api[_-]?key|key|token|access[_-]?token|auth|authkey|apitoken|signature|sig|subscription[_-]?key|client[_-]?id)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialName();
}
