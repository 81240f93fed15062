using System.CommandLine;
using System.Globalization;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Cli.Commands.DemoWorld;

/// <summary><c>urbanscore demo-world outlines --bbox … --zoom Z [--year Y] --out F.geojson</c>: the demo world's exact urban outlines.</summary>
internal static class DemoWorldCommand
{
    public static Command Create(CliContext context)
    {
        var bbox = new Option<string>("--bbox") { Description = "The area, minLon,minLat,maxLon,maxLat.", Required = true };
        var zoom = new Option<int>("--zoom") { Description = "The zoom whose pixels the outlines follow (a tile of this zoom has exactly its urban share inside them).", DefaultValueFactory = _ => 12 };
        var year = new Option<int>("--year")
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"The year of the growing world, one of the years 'serve --demo-world' serves ({DemoWorldRenderer.ServedYears[0]}..{DemoWorldRenderer.ServedYears[^1]}; its tiles without a year are {DemoWorldRenderer.DefaultYear})."),
            DefaultValueFactory = _ => DemoWorldRenderer.DefaultYear,
        };
        var output = new Option<string>("--out") { Description = "GeoJSON file to write (a FeatureCollection of one MultiPolygon, EPSG:4326).", Required = true };
        var outlines = new Command("outlines", "Write the demo world's exact urban outlines of an area in a year as GeoJSON (for collect --city-outlines and evaluate --truth).");
        outlines.Options.Add(bbox);
        outlines.Options.Add(zoom);
        outlines.Options.Add(year);
        outlines.Options.Add(output);
        outlines.SetAction(async (parseResult, cancellationToken) =>
        {
            var area = TileCover.ParseBoundingBox(parseResult.GetValue(bbox)!);
            var path = parseResult.GetValue(output)!;
            var when = parseResult.GetValue(year);
            if (!DemoWorldRenderer.ServedYears.Contains(when))
            {
                // Only the served years: outlines of a year no tile can be fetched for would label nothing.
                throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                    $"--year {when} is not a year of the demo world; choose one of {DemoWorldRenderer.ServedYears[0]}..{DemoWorldRenderer.ServedYears[^1]}, the years 'serve --demo-world' serves (default {DemoWorldRenderer.DefaultYear})."));
            }

            var (polygons, pixels) = DemoWorldOutlines.Write(DemoWorldRenderer.ForYear(when), area, parseResult.GetValue(zoom), path, cancellationToken);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: {polygons} urban polygons, {pixels} urban pixels at zoom {parseResult.GetValue(zoom)} in {when}")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        var command = new Command("demo-world", "The synthetic demo world's ground truth (serve it with 'serve --demo-world').");
        command.Subcommands.Add(outlines);
        return command;
    }
}
