using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO.Converters;
using UrbanScore.Geo;
using UrbanScore.Tiling;

namespace UrbanScore.Analysis;

/// <summary>
/// Named polygons that statistics are broken down by (municipalities from a GeoJSON file, or countries), held in the
/// equal-area plane of <see cref="EllipsoidalArea"/> so that the part of a tile inside a region is measured as a
/// planar area there (docs/analysis.md, "pro-rating"). Region vertices are projected; edges are straight between
/// them in that plane. Immutable; <see cref="Split"/> is safe from one thread at a time.
/// </summary>
public sealed class RegionSet
{
    private readonly Geometry[] _geometries;
    private readonly IPreparedGeometry[] _prepared;
    private readonly STRtree<int> _index = new();

    private RegionSet(IReadOnlyList<(string Name, Geometry LonLat)> regions)
    {
        Names = [.. regions.Select(r => r.Name)];
        _geometries = new Geometry[regions.Count];
        _prepared = new IPreparedGeometry[regions.Count];
        for (var i = 0; i < regions.Count; i++)
        {
            var projected = regions[i].LonLat.Copy();
            projected.Apply(new ProjectFilter());
            projected.GeometryChanged();
            _geometries[i] = projected.IsValid ? projected : GeometryFixer.Fix(projected);
            _prepared[i] = PreparedGeometryFactory.Prepare(_geometries[i]);
            _index.Insert(_geometries[i].EnvelopeInternal, i);
        }

        _index.Build();
    }

    /// <summary>Region names in file (or catalog) order; names may repeat.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of regions.</summary>
    public int Count => Names.Count;

    /// <summary>
    /// Reads the polygonal features of a GeoJSON FeatureCollection (or a single Feature), each a region named by the
    /// property <paramref name="nameField"/>; without it by "name", "NAME" or "Name", else "feature N" (1-based).
    /// Invalid polygons are repaired (NTS GeometryFixer); features without a surface are left out.
    /// </summary>
    /// <exception cref="UrbanScoreException">Missing file, not GeoJSON, no polygon, or a feature without the name field.</exception>
    public static RegionSet FromGeoJson(string path, string? nameField = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UrbanScoreException($"The regions file {path} does not exist; give a GeoJSON FeatureCollection of region polygons.")
            { Subject = InputSubject.Regions };
        }

        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        List<IFeature> features;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var type = document.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
            features = type switch
            {
                "FeatureCollection" => [.. document.RootElement.Deserialize<FeatureCollection>(options) ?? []],
                "Feature" => [document.RootElement.Deserialize<IFeature>(options)!],
                _ => throw new JsonException($"type '{type}' is not a Feature or FeatureCollection"),
            };
        }
        catch (JsonException ex)
        {
            throw new UrbanScoreException($"The regions file {path} is not a GeoJSON FeatureCollection ({ex.Message}); give one polygon feature per region.")
            { Subject = InputSubject.Regions };
        }

        var regions = new List<(string, Geometry)>();
        for (var i = 0; i < features.Count; i++)
        {
            var feature = features[i];
            if (feature?.Geometry is not { } geometry)
            {
                continue;
            }

            var polygonal = AreaGeometry.Polygonal(geometry);
            if (polygonal.IsEmpty || polygonal.Area <= 0)
            {
                continue;
            }

            if (!polygonal.IsValid)
            {
                polygonal = AreaGeometry.Polygonal(GeometryFixer.Fix(polygonal));
            }

            regions.Add((NameOf(feature, nameField, i, path), AreaGeometry.CutAtAntimeridian(polygonal)));
        }

        if (regions.Count == 0)
        {
            throw new UrbanScoreException($"The regions file {path} holds no Polygon or MultiPolygon feature; give one polygon feature per region.")
            { Subject = InputSubject.Regions };
        }

        return new RegionSet(regions);
    }

    /// <summary>The embedded countries (Natural Earth) whose bounds meet <paramref name="lonLatBounds"/>, named by their English name.</summary>
    public static RegionSet Countries(BoundingBox lonLatBounds)
    {
        var regions = new List<(string, Geometry)>();
        foreach (var country in CountryCatalog.All)
        {
            var query = country.Alpha3.Length > 0 ? country.Alpha3 : country.Name;
            PolygonArea area;
            try
            {
                area = CountryCatalog.Area(query);
            }
            catch (UrbanScoreException)
            {
                continue; // a territory whose name is ambiguous with another's; not addressable alone
            }

            if (area.Description.Contains(country.Name, StringComparison.Ordinal) && Meets(area.LonLatBounds, lonLatBounds))
            {
                regions.Add((country.Name, area.Geometry));
            }
        }

        return new RegionSet(regions);
    }

    /// <summary>
    /// Adds to <paramref name="parts"/> (cleared first) each region the tile meets with the area of the part inside it,
    /// in the units of the equal-area plane (m²); a tile wholly inside a region gets <paramref name="tileArea"/>.
    /// </summary>
    internal void Split(Polygon tile, double tileArea, List<(int Region, double SquareMetres)> parts)
    {
        parts.Clear();
        foreach (var i in _index.Query(tile.EnvelopeInternal))
        {
            if (_prepared[i].Contains(tile))
            {
                parts.Add((i, tileArea));
            }
            else if (_prepared[i].Intersects(tile))
            {
                var inside = tile.Intersection(_geometries[i]).Area;
                if (inside > 0)
                {
                    parts.Add((i, Math.Min(inside, tileArea)));
                }
            }
        }

        parts.Sort((a, b) => a.Region.CompareTo(b.Region));
    }

    /// <summary>Whether a region may meet a tile's envelope (cheap pre-check for tiles far from every region).</summary>
    internal bool MayMeet(Envelope envelope) => _index.Query(envelope).Count > 0;

    private static string NameOf(IFeature feature, string? nameField, int index, string path)
    {
        var attributes = feature.Attributes;
        if (nameField is not null)
        {
            if (attributes is null || !attributes.Exists(nameField) || attributes[nameField] is null)
            {
                throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"Feature {index + 1} of {path} has no property '{nameField}'; name a property every feature has."))
                { Subject = InputSubject.NameField };
            }

            return Convert.ToString(attributes[nameField], CultureInfo.InvariantCulture) ?? string.Empty;
        }

        foreach (var candidate in new[] { "name", "NAME", "Name" })
        {
            if (attributes is not null && attributes.Exists(candidate) && attributes[candidate] is { } value)
            {
                return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"feature {index + 1}");
    }

    private static bool Meets(BoundingBox a, BoundingBox b)
    {
        static bool Overlap(double min1, double max1, double min2, double max2) => min1 <= max2 && min2 <= max1;
        var latitudes = Overlap(a.MinY, a.MaxY, b.MinY, b.MaxY);
        if (!latitudes)
        {
            return false;
        }

        // Boxes crossing the antimeridian (MinX > MaxX) are treated as spanning every longitude: a loose but safe test.
        return a.MinX > a.MaxX || b.MinX > b.MaxX || Overlap(a.MinX, a.MaxX, b.MinX, b.MaxX);
    }

    private sealed class ProjectFilter : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = EllipsoidalArea.Project(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
