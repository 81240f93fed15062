using System.CommandLine;
using System.Globalization;
using UrbanScore.Runs;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Cli.Commands.Demo;

/// <summary>
/// <c>urbanscore demo</c>: the whole workflow offline — serves the synthetic demo world on loopback, scores a region
/// around real cities with the default model, writes every output of <c>score</c>, and reports accuracy and
/// ROC-AUC against the world's ground truth.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var area = new Option<string?>("--area") { Description = "Area as minLon,minLat,maxLon,maxLat (default: the Rhine–Ruhr region, Germany)." };
        var zoom = new Option<int>("--zoom") { Description = "Zoom level.", DefaultValueFactory = _ => DemoRun.DefaultZoom };
        var maxTiles = new Option<long>("--max-tiles") { Description = "Score at most this many tiles (a centred square of the area); 0 = all." };
        var model = new Option<string?>("--model") { Description = "Model (default: models/urbanscore-demo.onnx)." };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var batch = new Option<int>("--batch-size") { Description = "Tiles per inference call (0 = automatic)." };
        var threads = new Option<int>("--threads") { Description = "Decode workers (0 = one per core)." };
        var compare = new Option<string?>("--compare") { Description = "Two years of the growing demo world, e.g. 2015,2025: score both, compare them, and print the urban km² gained and lost next to the world's exact truth." };
        var command = new Command("demo", "Run the whole workflow offline on the synthetic demo world and report accuracy against its ground truth.");
        foreach (var option in new Option[] { area, zoom, maxTiles, model, output, batch, threads, compare })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var zoomLevel = parseResult.GetValue(zoom);
            if (zoomLevel is < 0 or > DemoWorldRenderer.MaxZoom)
            {
                throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--zoom {zoomLevel} is outside 0..{DemoWorldRenderer.MaxZoom}, the demo world's levels; try 14 or 15."));
            }

            var limit = parseResult.GetValue(maxTiles);
            if (limit < 0)
            {
                throw new UrbanScoreException("--max-tiles must be 0 (all) or a positive number of tiles.");
            }

            var box = parseResult.GetValue(area) is { } text ? TileCover.ParseBoundingBox(text) : DemoRun.DefaultArea;
            box = DemoRun.LimitArea(box, zoomLevel, limit);
            var modelPath = parseResult.GetValue(model) ?? DemoRun.FindDefaultModel()
                ?? throw new UrbanScoreException($"The default model models/{DemoRun.DefaultModelFileName} was not found; run from the repository folder or pass --model.");
            var outputFolder = parseResult.GetValue(output)!;
            ScoreRequest Request(string xyzTemplate) => Year(xyzTemplate, null, new WmtsSelectionChoice(), outputFolder);
            ScoreRequest Year(string? xyzTemplate, string? capabilities, WmtsSelectionChoice wmts, string folder) => new()
            {
                XyzTemplate = xyzTemplate,
                WmtsCapabilities = capabilities,
                Wmts = wmts,
                Area = DemoRun.AreaOf(box),
                Zoom = zoomLevel,
                ModelPath = modelPath,
                OutputFolder = folder,
                Force = true, // the demo folder is the demo's own: a different model replaces it instead of refusing
                BatchSize = parseResult.GetValue(batch),
                DecodeWorkers = parseResult.GetValue(threads),
                CommandLine = "urbanscore " + string.Join(' ', parseResult.Tokens.Select(t => t.Value)),
            };
            if (parseResult.GetValue(compare) is { } years)
            {
                return await CompareAsync(context, years, modelPath, (capabilities, wmts, folder) => Year(null, capabilities, wmts, folder), outputFolder, box, zoomLevel, cancellationToken).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"demo: scoring the synthetic demo world (served on 127.0.0.1) at z{zoomLevel}, area {box.MinX:0.###},{box.MinY:0.###},{box.MaxX:0.###},{box.MaxY:0.###}, model {modelPath}")).ConfigureAwait(false);
            var progress = new ProgressPrinter(context);
            ScoreJobResult result;
            DemoEvaluation evaluation;
            try
            {
                (result, evaluation) = await DemoRun.RunAsync(Request, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                progress.Finish();
                await context.Error.WriteLineAsync($"interrupted: what was scored is saved in {outputFolder}; run the same command again to resume.").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }

            progress.Finish();
            var c = result.Counts;
            var full = Path.GetFullPath(outputFolder);
            var seconds = result.Pipeline.Elapsed.TotalSeconds;
            var rate = result.Pipeline.TilesPerSecond;

            // A second demo in the same folder resumes: its rate is of the tiles it fetched, so say so rather than
            // print "0.0 tiles/s" for a run that scored nothing new.
            var fresh = c.Planned - c.Skipped;
            var rateText = fresh > 0 ? string.Create(CultureInfo.InvariantCulture, $": {rate:0.0} tiles/s") : string.Empty;
            var timing = c.Skipped == 0
                ? string.Create(CultureInfo.InvariantCulture, $" in {seconds:0.0} s: {rate:0.0} tiles/s")
                : string.Create(CultureInfo.InvariantCulture, $"; {c.Skipped} were already scored in {outputFolder} by an earlier run and not fetched again (delete that folder to time a full run); {fresh} new in {seconds:0.0} s{rateText}");
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"done: {c.Planned} tiles, {c.Scored} scored, {c.Empty} empty, {c.Failed} failed{timing}")).ConfigureAwait(false);
            await context.Out.WriteLineAsync(DemoRun.Describe(evaluation)).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"open: {Path.Combine(full, "heatmap.tif")} (QGIS/GDAL), heatmap tiles in {Path.Combine(full, "heatmap")}, scores in {Path.Combine(full, "scores.csv")}, summary in {Path.Combine(full, "run.json")}").ConfigureAwait(false);
            if (File.Exists(Path.Combine(full, "index.html")))
            {
                await context.Out.WriteLineAsync($"view: {context.CommandName} serve {outputFolder}  (then open the printed URL)").ConfigureAwait(false);
            }

            return c.Failed > 0 ? ExitCodes.TilesFailed : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> CompareAsync(CliContext context, string years, string modelPath, Func<string, WmtsSelectionChoice, string, ScoreRequest> request, string outputFolder, BoundingBox box, int zoom, CancellationToken cancellationToken)
    {
        var parts = years.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var before)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var after))
        {
            throw new UrbanScoreException($"--compare '{years}' is not two years; give them as BEFORE,AFTER, e.g. --compare 2015,2025.");
        }

        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"demo: scoring the growing demo world in {before} and {after} (WMTS Time dimension on 127.0.0.1) at z{zoom}, area {box.MinX:0.###},{box.MinY:0.###},{box.MaxX:0.###},{box.MaxY:0.###}, model {modelPath}")).ConfigureAwait(false);
        var progress = new ProgressPrinter(context);
        DemoComparison comparison;
        try
        {
            comparison = await DemoRun.CompareAsync(request, outputFolder, before, after, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.Finish();
            await context.Error.WriteLineAsync($"interrupted: what was scored is saved under {outputFolder}; run the same command again to resume.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }

        progress.Finish();
        foreach (var (year, result) in new[] { (before, comparison.Before), (after, comparison.After) })
        {
            var c = result.Counts;
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{year}: {c.Planned} tiles, {c.Scored} scored, {c.Empty} empty, {c.Failed} failed in {result.Pipeline.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync(DemoRun.Describe(comparison)).ConfigureAwait(false);
        var compareFolder = Path.Combine(outputFolder, "compare");
        await context.Out.WriteLineAsync($"open: {Path.Combine(Path.GetFullPath(compareFolder), "change.tif")} (QGIS/GDAL), change.json beside it; view: urbanscore serve {compareFolder}").ConfigureAwait(false);
        var failed = comparison.Before.Counts.Failed + comparison.After.Counts.Failed;
        return failed > 0 ? ExitCodes.TilesFailed : ExitCodes.Success;
    }
}
