using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Union;
using UrbanScore.Tiling;

namespace UrbanScore.Geo;

/// <summary>
/// A polygon or multipolygon area in WGS 84 (<c>--area file.geojson</c>, <c>--country</c>), holes respected, cut at
/// the antimeridian. Its cover is the exact, streamed <see cref="PolygonCover"/>. Immutable.
/// </summary>
public sealed class PolygonArea : Area
{
    private static readonly JsonSerializerOptions s_geoJson = CreateGeoJsonOptions();

    /// <summary>Creates the area.</summary>
    /// <param name="lonLatGeometry">Polygonal geometry in EPSG:4326 degrees (x = longitude); longitudes beyond ±180 are
    /// folded back across the antimeridian. Must be valid (see <see cref="FromGeoJson"/> for repair).</param>
    /// <param name="description">For logs and run.json, e.g. "country FR (France)".</param>
    /// <param name="mode">Which tiles make the cover.</param>
    /// <exception cref="UrbanScoreException">The geometry has no polygonal surface.</exception>
    public PolygonArea(Geometry lonLatGeometry, string description, CoverMode mode = CoverMode.Intersect)
    {
        ArgumentNullException.ThrowIfNull(lonLatGeometry);
        var geometry = AreaGeometry.CutAtAntimeridian(lonLatGeometry);
        if (geometry.IsEmpty || geometry.Area <= 0)
        {
            throw new UrbanScoreException($"The area {description} has no surface (no polygon with an area); give a Polygon or MultiPolygon.");
        }

        Geometry = geometry;
        Mode = mode;
        Description = description;
        LonLatBounds = AreaGeometry.Bounds(geometry);
    }

    /// <summary>The polygon(s) in EPSG:4326 degrees, within -180..180.</summary>
    public Geometry Geometry { get; }

    /// <summary>Which tiles make the cover.</summary>
    public CoverMode Mode { get; }

    /// <inheritdoc />
    public override BoundingBox LonLatBounds { get; }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override double SquareKilometres => AreaGeometry.SquareKilometres(Geometry);

    /// <inheritdoc />
    public override ITileCover Cover(TileMatrixSet matrixSet, int zoom) => new PolygonCover(Geometry, matrixSet, zoom, Mode);

    /// <summary>The same area with another cover rule.</summary>
    public PolygonArea WithMode(CoverMode mode) => new(Geometry, Description, mode);

    /// <summary>
    /// A box as a polygon, for buffering it or covering it by tile centres. A box whose MinX exceeds its MaxX crosses
    /// the antimeridian: its east edge is shifted by 360° so the polygon stays one piece in longitudes past 180.
    /// </summary>
    public static PolygonArea FromBox(BoundingBox box, CoverMode mode = CoverMode.Intersect)
    {
        var maxX = box.MinX > box.MaxX ? box.MaxX + 360 : box.MaxX;
        var polygon = new GeometryFactory().ToGeometry(new Envelope(box.MinX, maxX, box.MinY, box.MaxY));
        return new PolygonArea(polygon, string.Create(CultureInfo.InvariantCulture, $"bbox {box.MinX},{box.MinY},{box.MaxX},{box.MaxY}"), mode);
    }

    /// <summary>
    /// The area grown by <paramref name="metres"/> (negative shrinks), each part buffered in a local equirectangular
    /// projection (see the remarks of docs/country-scale.md for the accuracy).
    /// </summary>
    /// <exception cref="UrbanScoreException">The distance is not finite, or shrinking leaves nothing.</exception>
    public PolygonArea Buffered(double metres)
    {
        if (!double.IsFinite(metres))
        {
            throw new UrbanScoreException("The buffer is not a finite number of metres; give a distance such as 500.")
            { Subject = InputSubject.Buffer };
        }

        if (metres == 0)
        {
            return this;
        }

        var grown = AreaGeometry.BufferMetres(Geometry, metres);
        return new PolygonArea(grown, Description + string.Create(CultureInfo.InvariantCulture, $" buffered {metres} m"), Mode);
    }

    /// <summary>
    /// Reads a GeoJSON file: a Polygon, MultiPolygon, Feature or FeatureCollection (polygonal members are united;
    /// other geometry types are ignored). An invalid polygon (self-intersecting ring, bad hole) is repaired with NTS's
    /// GeometryFixer and <paramref name="warn"/> is told so.
    /// </summary>
    /// <exception cref="UrbanScoreException">The file is missing, is not GeoJSON, or holds no polygon.</exception>
    public static PolygonArea FromGeoJson(string path, Action<string>? warn = null, CoverMode mode = CoverMode.Intersect)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UrbanScoreException($"The area file {path} does not exist; give the path of a GeoJSON file with a Polygon or MultiPolygon.")
            { Subject = InputSubject.AreaFile };
        }

        Geometry geometry;
        try
        {
            geometry = ParseGeoJson(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new UrbanScoreException($"The area file {path} is not valid GeoJSON ({ex.Message}); give a Polygon, MultiPolygon, Feature or FeatureCollection.")
            { Subject = InputSubject.AreaFile };
        }

        if (geometry.IsEmpty)
        {
            throw new UrbanScoreException($"The area file {path} holds no Polygon or MultiPolygon; give an area with a surface (points and lines have none).")
            { Subject = InputSubject.AreaFile };
        }

        if (!geometry.IsValid)
        {
            var reason = new NetTopologySuite.Operation.Valid.IsValidOp(geometry).ValidationError?.Message ?? "invalid";
            var parts = AreaGeometry.Polygons(geometry).Select(p => p.IsValid ? p : GeometryFixer.Fix(p));
            geometry = AreaGeometry.Polygonal(UnaryUnionOp.Union(parts.ToList()));
            warn?.Invoke($"warning: the polygons in {path} are not valid together ({reason}); they were repaired (GeometryFixer, union), check the cover with 'urbanscore plan'.");
            if (geometry.IsEmpty || geometry.Area <= 0)
            {
                throw new UrbanScoreException($"The area file {path} holds an invalid polygon that cannot be repaired; fix its rings (no self-intersections) and retry.")
                { Subject = InputSubject.AreaFile };
            }
        }

        return new PolygonArea(geometry, "area " + Path.GetFileName(path), mode);
    }

    /// <summary>Parses GeoJSON text into the union of its polygonal geometries.</summary>
    /// <exception cref="JsonException">Not GeoJSON.</exception>
    internal static Geometry ParseGeoJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var type = document.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        var geometries = new List<Geometry>();
        switch (type)
        {
            case "FeatureCollection":
                var collection = document.RootElement.Deserialize<FeatureCollection>(s_geoJson) ?? [];
                geometries.AddRange(collection.Select(f => f.Geometry).OfType<Geometry>());
                break;
            case "Feature":
                if (document.RootElement.Deserialize<IFeature>(s_geoJson)?.Geometry is { } g)
                {
                    geometries.Add(g);
                }

                break;
            case "Polygon" or "MultiPolygon" or "GeometryCollection":
                geometries.Add(document.RootElement.Deserialize<Geometry>(s_geoJson)!);
                break;
            default:
                throw new JsonException($"type '{type}' is not a GeoJSON polygon, feature or feature collection");
        }

        var polygons = geometries.SelectMany(g => AreaGeometry.Polygons(AreaGeometry.Polygonal(g))).ToArray();
        return polygons.Length == 1 ? polygons[0] : AreaGeometry.Factory.CreateMultiPolygon(polygons);
    }

    private static JsonSerializerOptions CreateGeoJsonOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        return options;
    }
}
