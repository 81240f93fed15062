using System.Globalization;
using NetTopologySuite.Geometries;
using UrbanScore.Geo;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Analysis;

/// <summary>
/// Reference labels to evaluate a run against (<c>evaluate --truth</c>): either labelled tiles from a CSV file with
/// <c>z,x,y,label</c> columns, or polygons of the positive class (GeoJSON) that label every scored tile: positive when
/// at least <see cref="MinShare"/> of its area lies inside them, negative otherwise. Immutable.
/// </summary>
public sealed class ReferenceSet
{
    /// <summary>Default share of a tile's area inside the polygons that makes it a reference positive.</summary>
    public const double DefaultMinShare = 0.5;

    /// <summary>The columns a CSV reference needs, in the order they are used.</summary>
    private static readonly string[] s_columns = ["z", "x", "y", "label"];

    private readonly Dictionary<TileIndex, string>? _labels;

    private ReferenceSet(string description, Dictionary<TileIndex, string>? labels, long repeatedRows, Geometry? outlines, double minShare)
    {
        Description = description;
        _labels = labels;
        RepeatedRows = repeatedRows;
        Outlines = outlines;
        MinShare = minShare;
    }

    /// <summary>For people: the file name and its kind.</summary>
    public string Description { get; }

    /// <summary>The labelled tiles of a CSV reference (first row of each tile), or null for polygons.</summary>
    public IReadOnlyDictionary<TileIndex, string>? Labels => _labels;

    /// <summary>CSV rows that repeat a tile already read (they are not evaluated).</summary>
    public long RepeatedRows { get; }

    /// <summary>The positive-class polygons (EPSG:4326 degrees) of a GeoJSON reference, or null for a CSV one.</summary>
    public Geometry? Outlines { get; }

    /// <summary>Share of a tile's area inside <see cref="Outlines"/> from which it is a reference positive.</summary>
    public double MinShare { get; }

    /// <summary>Reads a reference file: GeoJSON (by the extension <c>.geojson</c>/<c>.json</c>, or a first character '{') or CSV.</summary>
    /// <param name="path">The file.</param>
    /// <param name="minShare">For polygons: the share of a tile inside them that makes it positive (0 = any overlap, 1 = wholly inside).</param>
    /// <param name="warn">Told when polygons had to be repaired.</param>
    /// <exception cref="UrbanScoreException">The file is missing, unreadable or malformed.</exception>
    public static ReferenceSet Open(string path, double minShare = DefaultMinShare, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UrbanScoreException($"The reference file {path} does not exist; give a CSV file with z,x,y,label columns or a GeoJSON file of positive-class polygons.")
            { Subject = InputSubject.Truth };
        }

        if (!(minShare is >= 0 and <= 1))
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"A minimum share of {minShare} is outside 0..1; give the share of a tile inside the polygons that makes it positive, e.g. 0.5."))
            { Subject = InputSubject.MinShare };
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        var isJson = extension is ".geojson" or ".json" || (extension != ".csv" && FirstCharacter(path) == '{');
        if (isJson)
        {
            var area = PolygonArea.FromGeoJson(path, warn);
            return new ReferenceSet(Path.GetFileName(path) + " (polygons)", null, 0, area.Geometry, minShare);
        }

        return FromCsv(path, minShare);
    }

    /// <summary>The positive-class polygons as a reference (already in EPSG:4326 degrees).</summary>
    public static ReferenceSet FromOutlines(PolygonArea outlines, double minShare = DefaultMinShare)
    {
        ArgumentNullException.ThrowIfNull(outlines);
        return new ReferenceSet(outlines.Description + " (polygons)", null, 0, outlines.Geometry, minShare);
    }

    private static ReferenceSet FromCsv(string path, double minShare)
    {
        using var reader = new StreamReader(path);
        var csv = new CsvRecordReader(reader);
        var fields = new List<string>();
        if (!csv.Read(fields))
        {
            throw new UrbanScoreException($"The reference file {path} is empty; give a CSV file with a header line naming z,x,y,label columns.")
            { Subject = InputSubject.Truth };
        }

        var header = fields.Select(f => f.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        var columns = s_columns.Select(name => header.IndexOf(name)).ToArray();
        if (columns.Any(c => c < 0))
        {
            throw new UrbanScoreException($"The reference file {path} has no z, x, y and label columns in its header line ('{string.Join(',', fields)}'); name them so, other columns are ignored.")
            { Subject = InputSubject.Truth };
        }

        var labels = new Dictionary<TileIndex, string>();
        long repeated = 0;
        while (csv.Read(fields))
        {
            if (fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0]))
            {
                continue;
            }

            var values = new int[3];
            if (fields.Count <= columns.Max() || !Enumerable.Range(0, 3).All(i => int.TryParse(fields[columns[i]].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i])))
            {
                throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                    $"The reference file {path} line {csv.LineNumber} has no integer z, x and y or no label; write one tile per line, e.g. 14,8508,5489,city."))
                { Subject = InputSubject.Truth };
            }

            var tile = new TileIndex(Zoom: values[0], Col: values[1], Row: values[2]);
            if (!labels.TryAdd(tile, fields[columns[3]].Trim()))
            {
                repeated++;
            }
        }

        return new ReferenceSet(Path.GetFileName(path) + " (tiles)", labels, repeated, null, minShare);
    }

    private static int FirstCharacter(string path)
    {
        using var reader = new StreamReader(path);
        int c;
        while ((c = reader.Read()) >= 0 && char.IsWhiteSpace((char)c))
        {
        }

        return c;
    }
}
