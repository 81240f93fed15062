using System.CommandLine;
using System.Globalization;
using System.Text;
using UrbanScore.Analysis;
using UrbanScore.Runs;

namespace UrbanScore.Cli.Commands.Compare;

/// <summary>
/// <c>urbanscore compare BEFORE AFTER --out DIR [--by …] [--threshold P] [--json]</c>: the change between two runs of the
/// same grid and model — change.tif, the change heatmap, a before/after/change viewer and change.json.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var before = new Argument<string>("BEFORE") { Description = "Output folder of the earlier run." };
        var after = new Argument<string>("AFTER") { Description = "Output folder of the later run (same grid and model)." };
        var output = new Option<string>("--out") { Description = "Folder for change.tif, the change heatmap, the viewer and change.json.", Required = true };
        var regions = new RegionOptions();
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON (as change.json)." };
        var command = new Command("compare", "Where did the city grow? P(after) − P(before) per tile as a GeoTIFF, heatmap and viewer, and urban km² gained and lost per region.");
        command.Arguments.Add(before);
        command.Arguments.Add(after);
        command.Options.Add(output);
        regions.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var beforeFolder = parseResult.GetValue(before)!;
            var regionSet = regions.Regions(parseResult, () => RunStatistics.LonLatBounds(beforeFolder));
            var options = new ComparisonOptions { OutputFolder = parseResult.GetValue(output)!, Regions = regionSet, Threshold = regions.Threshold(parseResult) };
            var report = RunComparison.Compare(beforeFolder, parseResult.GetValue(after)!, options, cancellationToken);
            await context.Out.WriteLineAsync(parseResult.GetValue(json) ? report.ToJson() : Describe(report, options.OutputFolder)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A table for people: one line per region, then the total, then where the products are.</summary>
    internal static string Describe(ComparisonReport report, string outputFolder)
    {
        var rows = report.Regions.Select(r => (r.Name ?? string.Empty, r)).Append(("total", report.Total)).ToList();
        var width = Math.Max(6, rows.Max(r => r.Item1.Length));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"region".PadRight(width)}  {"tiles",10}  {"before km²",12}  {"after km²",12}  {"gained km²",12}  {"lost km²",12}\n");
        foreach (var (name, c) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name.PadRight(width)}  {c.Tiles,10}  {c.UrbanKm2Before,12:0.00}  {c.UrbanKm2After,12:0.00}  {c.GainedUrbanKm2,12:0.00}  {c.LostUrbanKm2,12:0.00}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"urban: P ≥ {report.Threshold:0.###} over the tiles scored in both runs; km² on the WGS 84 ellipsoid\n");
        text.Append("wrote: ").Append(string.Join(", ", report.Outputs.Select(o => Path.Combine(outputFolder, o)))).Append('\n');
        text.Append("view: urbanscore serve ").Append(outputFolder);
        return text.ToString();
    }
}
