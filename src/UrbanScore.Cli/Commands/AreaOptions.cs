using System.CommandLine;
using System.Globalization;
using UrbanScore.Geo;
using UrbanScore.Tiling;

namespace UrbanScore.Cli.Commands;

/// <summary>
/// How a command names its area (exactly one of --bbox, --area, --country, --tiles), grows it (--buffer-m), picks the
/// cover rule (--cover) and a shard of it (--shard K/N). Shared by score and plan.
/// </summary>
internal sealed class AreaOptions
{
    public Option<string?> Bbox { get; } = new("--bbox") { Description = "Area as minLon,minLat,maxLon,maxLat in degrees (EPSG:4326); minLon > maxLon crosses the antimeridian." };

    public Option<string?> AreaFile { get; } = new("--area") { Description = "Area from a GeoJSON file (Polygon, MultiPolygon, Feature or FeatureCollection; holes respected)." };

    public Option<string?> Country { get; } = new("--country") { Description = "A country by ISO 3166-1 code (FI, FIN, 246) or English name; 'urbanscore countries' lists them." };

    public Option<string?> Tiles { get; } = new("--tiles") { Description = "An explicit list of tiles: a CSV file of z,x,y lines." };

    public Option<double> BufferMetres { get; } = new("--buffer-m") { Description = "Grow the area by this many metres (polygons and countries; a box becomes a polygon)." };

    public Option<string> Cover { get; } = new("--cover") { Description = "Which tiles cover a polygon: intersect (every tile touching it, the default) or center (tiles whose centre is inside).", DefaultValueFactory = _ => "intersect" };

    public Option<string?> ShardOption { get; } = new("--shard") { Description = "Score only part K of N (K = 0..N-1, e.g. the Kubernetes completion index); merge the parts with 'urbanscore merge'." };

    public void AddTo(Command command, bool withShard)
    {
        command.Options.Add(Bbox);
        command.Options.Add(AreaFile);
        command.Options.Add(Country);
        command.Options.Add(Tiles);
        command.Options.Add(BufferMetres);
        command.Options.Add(Cover);
        if (withShard)
        {
            command.Options.Add(ShardOption);
        }
    }

    /// <summary>The area named on the command line; warnings (a repaired polygon) go to <paramref name="warn"/>.</summary>
    public Area Read(ParseResult parseResult, Action<string> warn)
    {
        var bbox = parseResult.GetValue(Bbox);
        var file = parseResult.GetValue(AreaFile);
        var country = parseResult.GetValue(Country);
        var tiles = parseResult.GetValue(Tiles);
        var given = new[] { bbox, file, country, tiles }.Count(v => v is not null);
        if (given != 1)
        {
            throw new UrbanScoreException(given == 0
                ? "No area given; pass one of --bbox, --area file.geojson, --country CODE or --tiles list.csv."
                : "More than one area given; pass only one of --bbox, --area, --country or --tiles.");
        }

        var mode = parseResult.GetValue(Cover) switch
        {
            "intersect" => CoverMode.Intersect,
            "center" or "centre" => CoverMode.Center,
            var other => throw new UrbanScoreException($"--cover '{other}' is not a cover rule; use intersect or center."),
        };
        var buffer = parseResult.GetValue(BufferMetres);
        if (bbox is not null && TileCover.ParseBoundingBox(bbox) is { } box && box.MinX > box.MaxX && box.MaxX + 360 - box.MinX > 180)
        {
            // minLon > maxLon is how a box crosses the antimeridian; more than half the world that way is usually swapped numbers.
            warn(string.Create(CultureInfo.InvariantCulture,
                $"warning: --bbox {bbox} has minLon > maxLon, so it crosses the antimeridian and spans {box.MaxX + 360 - box.MinX:0.#}° of longitude; if you meant {box.MaxX}..{box.MinX}, write --bbox {box.MaxX},{box.MinY},{box.MinX},{box.MaxY}."));
        }

        if (tiles is not null)
        {
            return buffer != 0 ? throw new UrbanScoreException("--buffer-m does not apply to --tiles; list the extra tiles in the file instead.") : TileListArea.FromCsv(tiles);
        }

        if (bbox is not null && buffer == 0 && mode == CoverMode.Intersect)
        {
            return new BoxArea(TileCover.ParseBoundingBox(bbox));
        }

        var polygon = bbox is not null ? PolygonArea.FromBox(TileCover.ParseBoundingBox(bbox))
            : file is not null ? PolygonArea.FromGeoJson(file, warn, mode)
            : CountryCatalog.Area(country!, mode);
        return polygon.Buffered(buffer);
    }

    /// <summary>The part K/N of the cover to score, or null for all of it.</summary>
    public Shard? Shard(ParseResult parseResult) =>
        parseResult.GetValue(ShardOption) is { } text ? Tiling.Shard.Parse(text) : null;
}
