using System.CommandLine;
using System.Globalization;
using UrbanScore.Rendering;
using UrbanScore.Runs;
using UrbanScore.Storage;

namespace UrbanScore.Cli.Commands.Merge;

/// <summary><c>urbanscore merge</c>: unites shard outputs into one run and renders the products for the whole area.</summary>
internal static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var shards = new Argument<string[]>("shards") { Description = "The --out folders of the shard runs.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for the merged run.", Required = true };
        var colormap = new Option<string>("--colormap") { Description = "Heatmap colours, as given to the shard runs: red, viridis, magma.", DefaultValueFactory = _ => "red" };
        var threshold = new Option<float>("--threshold") { Description = "Scores below this are transparent, as given to the shard runs." };
        var force = new Option<bool>("--force") { Description = "Replace an output folder that holds another run." };
        var command = new Command("merge", "Merge the outputs of 'score --shard K/N' runs and render heatmap tiles, scores.csv, GeoTIFFs and run.json for the whole area.");
        command.Arguments.Add(shards);
        foreach (var option in new Option[] { output, colormap, threshold, force })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var palette = HeatmapPalette.Create(parseResult.GetValue(colormap)!, parseResult.GetValue(threshold));
            var folders = parseResult.GetValue(shards)!;
            var outFolder = parseResult.GetValue(output)!;
            var counts = await ShardMerge.MergeAsync(folders, outFolder, palette, parseResult.GetValue(force), cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"merged {folders.Length} shards: {counts.Scored} scored, {counts.Empty} empty, {counts.Failed} failed of {counts.Planned} planned; outputs in {outFolder} (run.json)")).ConfigureAwait(false);
            if (counts.Failed > 0)
            {
                await context.Error.WriteLineAsync($"{counts.Failed} tiles failed; re-run the shard(s) holding them, then merge again.").ConfigureAwait(false);
                return ExitCodes.TilesFailed;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
