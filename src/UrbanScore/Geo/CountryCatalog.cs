using System.IO.Compression;
using System.Text.Json;
using NetTopologySuite.Geometries;
using UrbanScore.Tiling;

namespace UrbanScore.Geo;

/// <summary>
/// The countries embedded in the library: Natural Earth 1:50m admin-0 boundaries (public domain, via npm world-atlas),
/// ISO 3166-1 codes from npm i18n-iso-countries, converted by tools/countries/convert-countries.js. Loaded once,
/// lazily; thread-safe.
/// </summary>
public static class CountryCatalog
{
    private const string ResourceName = "UrbanScore.Geo.countries.geojson.gz";
    private static readonly Lazy<(Country Country, JsonElement Geometry)[]> s_entries = new(Load);

    /// <summary>Every country, sorted by name.</summary>
    public static IReadOnlyList<Country> All => [.. s_entries.Value.Select(e => e.Country)];

    /// <summary>
    /// Finds a country by ISO alpha-2 ("FR"), alpha-3 ("FRA"), numeric ("250") or English name ("France"), ignoring case.
    /// </summary>
    /// <exception cref="UrbanScoreException">No country matches.</exception>
    public static Country Find(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Lookup(query).Country;
    }

    /// <summary>The country's area (see <see cref="Find"/> for <paramref name="query"/>).</summary>
    /// <exception cref="UrbanScoreException">No country matches.</exception>
    public static PolygonArea Area(string query, CoverMode mode = CoverMode.Intersect)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (country, json) = Lookup(query);
        var geometry = PolygonArea.ParseGeoJson(json.GetRawText());
        if (!geometry.IsValid)
        {
            // A few Natural Earth rings touch themselves after quantisation; repair silently, the data is ours.
            geometry = AreaGeometry.Polygonal(NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(geometry));
        }

        var code = country.Alpha2.Length > 0 ? country.Alpha2 + " " : string.Empty;
        return new PolygonArea(geometry, $"country {code}({country.Name})", mode);
    }

    private static (Country Country, JsonElement Geometry) Lookup(string query)
    {
        var q = query.Trim();
        var entries = s_entries.Value;
        var match = entries.FirstOrDefault(e =>
            (e.Country.Alpha2.Length > 0 && string.Equals(e.Country.Alpha2, q, StringComparison.OrdinalIgnoreCase))
            || (e.Country.Alpha3.Length > 0 && string.Equals(e.Country.Alpha3, q, StringComparison.OrdinalIgnoreCase))
            || (e.Country.Numeric.Length > 0 && q.All(char.IsAsciiDigit) && string.Equals(e.Country.Numeric, q.PadLeft(3, '0'), StringComparison.Ordinal))
            || string.Equals(e.Country.Name, q, StringComparison.OrdinalIgnoreCase)
            || string.Equals(e.Country.OfficialName, q, StringComparison.OrdinalIgnoreCase));
        if (match.Country is null)
        {
            var hints = entries.Where(e => e.Country.Name.Contains(q, StringComparison.OrdinalIgnoreCase)).Take(3).Select(e => e.Country.Name).ToList();
            var hint = hints.Count > 0 ? $" (did you mean {string.Join(", ", hints)}?)" : string.Empty;
            throw new UrbanScoreException($"The country '{query}' matches no country{hint}; give an ISO code such as FR or FRA, or run 'urbanscore countries' for the list.")
            { Subject = InputSubject.Country };
        }

        return match;
    }

    private static (Country, JsonElement)[] Load()
    {
        using var stream = typeof(CountryCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        var result = new List<(Country, JsonElement)>();
        foreach (var feature in document.RootElement.GetProperty("features").EnumerateArray())
        {
            var p = feature.GetProperty("properties");
            string Text(string name) => p.GetProperty(name).GetString() ?? string.Empty;
            result.Add((new Country(Text("name"), Text("official"), Text("iso2"), Text("iso3"), Text("numeric")), feature.GetProperty("geometry").Clone()));
        }

        return [.. result];
    }
}
