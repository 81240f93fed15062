using System.CommandLine;
using System.Globalization;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Cli.Commands.DemoWorld;

/// <summary><c>urbanscore demo-world outlines --bbox … --zoom Z --out F.geojson</c>: the demo world's exact urban outlines.</summary>
internal static class DemoWorldCommand
{
    public static Command Create(CliContext context)
    {
        var bbox = new Option<string>("--bbox") { Description = "The area, minLon,minLat,maxLon,maxLat.", Required = true };
        var zoom = new Option<int>("--zoom") { Description = "The zoom whose pixels the outlines follow (a tile of this zoom has exactly its urban share inside them).", DefaultValueFactory = _ => 12 };
        var output = new Option<string>("--out") { Description = "GeoJSON file to write (a FeatureCollection of one MultiPolygon, EPSG:4326).", Required = true };
        var outlines = new Command("outlines", "Write the demo world's exact urban outlines of an area as GeoJSON (for collect --city-outlines and evaluate --truth).");
        outlines.Options.Add(bbox);
        outlines.Options.Add(zoom);
        outlines.Options.Add(output);
        outlines.SetAction(async (parseResult, cancellationToken) =>
        {
            var area = TileCover.ParseBoundingBox(parseResult.GetValue(bbox)!);
            var path = parseResult.GetValue(output)!;
            var (polygons, pixels) = DemoWorldOutlines.Write(DemoWorldRenderer.Default, area, parseResult.GetValue(zoom), path, cancellationToken);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: {polygons} urban polygons, {pixels} urban pixels at zoom {parseResult.GetValue(zoom)}")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        var command = new Command("demo-world", "The synthetic demo world's ground truth (serve it with 'serve --demo-world').");
        command.Subcommands.Add(outlines);
        return command;
    }
}
