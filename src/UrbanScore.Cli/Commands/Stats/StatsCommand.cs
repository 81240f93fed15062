using System.CommandLine;
using System.Globalization;
using System.Text;
using UrbanScore.Analysis;
using UrbanScore.Runs;

namespace UrbanScore.Cli.Commands.Stats;

/// <summary>
/// <c>urbanscore stats RUN [--by FILE.geojson [--name-field F]] [--by-country] [--threshold P] [--json] [--csv F]</c>:
/// urban tiles and their ground area on the WGS 84 ellipsoid per region and in total (docs/analysis.md).
/// </summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("RUN") { Description = "Output folder of a run (holds scores.sqlite)." };
        var regions = new RegionOptions();
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var csv = new Option<string?>("--csv") { Description = "Also write the figures as CSV to this file." };
        var command = new Command("stats", "Urban area per region and in total: tiles, urban tiles (P ≥ threshold), their true ground area in km², Σ P × area, mean P.");
        command.Arguments.Add(run);
        regions.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(csv);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(run)!;
            var regionSet = regions.Regions(parseResult, () => RunStatistics.LonLatBounds(folder));
            var report = RunStatistics.Compute(folder, regionSet, regions.Threshold(parseResult), cancellationToken);
            if (parseResult.GetValue(csv) is { } csvPath)
            {
                AtomicFile.Write(csvPath, temp => File.WriteAllText(temp, report.ToCsv(), new UTF8Encoding(false)));
            }

            await context.Out.WriteLineAsync(parseResult.GetValue(json) ? report.ToJson() : Describe(report)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A table for people: one line per region, then the total.</summary>
    internal static string Describe(UrbanStatisticsReport report)
    {
        var rows = report.Regions.Select(r => (r.Name ?? string.Empty, r)).Append(("total", report.Total)).ToList();
        var width = Math.Max(6, rows.Max(r => r.Item1.Length));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"region".PadRight(width)}  {"tiles",10}  {"scored",10}  {"urban",10}  {"urban km²",12}  {"Σ P×km²",12}  {"mean P",7}\n");
        foreach (var (name, s) in rows)
        {
            var mean = s.MeanScore is { } m ? m.ToString("0.000", CultureInfo.InvariantCulture) : "-";
            text.Append(CultureInfo.InvariantCulture, $"{name.PadRight(width)}  {s.Tiles,10}  {s.Scored,10}  {s.UrbanTiles,10}  {s.UrbanKm2,12:0.00}  {s.ExpectedUrbanKm2,12:0.00}  {mean,7}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"urban: P ≥ {report.Threshold:0.###}; km² are ground areas on the WGS 84 ellipsoid, tiles cut by a region boundary counted by the part inside it");
        return text.ToString();
    }
}
