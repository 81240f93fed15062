using System.CommandLine;
using UrbanScore.Runs;
using UrbanScore.Storage;

namespace UrbanScore.Cli.Commands.Export;

/// <summary><c>urbanscore export --out DIR --format csv|geojson [--file F]</c>: writes a run's scores.sqlite as CSV or GeoJSON.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Output folder of a run (holds scores.sqlite).", Required = true };
        var format = new Option<string>("--format") { Description = "csv (one line per tile) or geojson (one EPSG:4326 polygon per tile).", DefaultValueFactory = _ => "csv" };
        var file = new Option<string?>("--file") { Description = "Target file (default: scores.csv or scores.geojson in --out)." };
        var command = new Command("export", "Export a run's scores (every tile, status, every label's probability) as CSV or GeoJSON.");
        command.Options.Add(output);
        command.Options.Add(format);
        command.Options.Add(file);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = RunExporter.Export(parseResult.GetValue(output)!, parseResult.GetValue(format)!, parseResult.GetValue(file));
            await context.Out.WriteLineAsync("wrote " + path).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
