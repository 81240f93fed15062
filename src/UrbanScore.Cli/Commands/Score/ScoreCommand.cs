using System.CommandLine;
using System.Globalization;
using UrbanScore.Geo;
using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Cli.Commands.Score;

/// <summary><c>urbanscore score</c>: scores every tile of an area with a model and writes the outputs.</summary>
internal static class ScoreCommand
{
    public static Command Create(CliContext context)
    {
        var source = new SourceOptions();
        var http = new HttpOptions();
        var model = new ModelOptions();
        var logging = new LoggingOptions();
        var zoom = new Option<int>("--zoom") { Description = "Zoom level (web-mercator zoom, or the level whose resolution matches it).", Required = true };
        var areaOptions = new AreaOptions();
        var output = new Option<string>("--out") { Description = "Output folder (re-running into it resumes).", Required = true };
        var positive = new Option<string>("--positive-label") { Description = "Label whose probability is the score; 'a+b' sums labels.", DefaultValueFactory = _ => "city" };
        var products = new OutputOptions();
        var force = new Option<bool>("--force") { Description = "Replace an output folder that holds another model's or source's run." };

        var command = new Command("score", "Score every tile of an area with an ONNX classifier and write heatmap tiles, GeoTIFF, scores and run.json.");
        source.AddTo(command);
        http.AddTo(command);
        model.AddTo(command);
        areaOptions.AddTo(command, withShard: true);
        logging.AddTo(command);
        products.AddTo(command);
        foreach (var option in new Option[] { zoom, output, positive, force })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var area = areaOptions.Read(parseResult, message => context.Error.WriteLine(message));
            var palette = products.Palette(parseResult);
            var zoomLevel = parseResult.GetValue(zoom);
            if (zoomLevel is < 0 or > WebMercator.MaxZoom)
            {
                throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--zoom {zoomLevel} is outside 0..{WebMercator.MaxZoom}; choose a zoom level such as 15."));
            }

            using var observe = logging.Start(parseResult, context);
            using var scorer = model.Open(parseResult);
            var httpOptions = http.Read(parseResult);
            using var fetcher = new HttpTileFetcher(httpOptions);
            var (tileSource, level, selection) = await source.OpenAsync(parseResult, fetcher, httpOptions, zoomLevel, (area.LonLatBounds.MinY + area.LonLatBounds.MaxY) / 2, cancellationToken).ConfigureAwait(false);
            var options = new ScoreJobOptions
            {
                Area = area,
                CoverFilter = areaOptions.CoverFilter(parseResult, SourceOptions.LimitsFilter(selection)),
                Zoom = level,
                OutputFolder = parseResult.GetValue(output)!,
                PositiveLabel = parseResult.GetValue(positive)!,
                Palette = palette,
                MinZoom = products.MinZoom(parseResult),
                ScorePixelsPerTile = products.ScorePixelsPerTile(parseResult),
                HeatmapPixelsPerTile = products.HeatmapPixelsPerTile(parseResult),
                BaseUrl = products.BaseUrl(parseResult),
                Force = parseResult.GetValue(force),
                Pipeline = model.PipelineOptions(parseResult, httpOptions),
                ExtraSinks = [observe.Sink],
                CommandLine = fetcher.Redact("urbanscore " + string.Join(' ', parseResult.Tokens.Select(t => t.Value))), // header values too
            };

            await context.Out.WriteLineAsync($"scoring {tileSource.Description} at level {options.Zoom} into {options.OutputFolder}").ConfigureAwait(false);
            var progress = new ProgressPrinter(context);
            ScoreJobResult result;
            try
            {
                result = await ScoreJob.RunAsync(tileSource, scorer, model.ModelPath(parseResult), options, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                progress.Finish();
                await context.Error.WriteLineAsync($"interrupted: what was scored is saved in {options.OutputFolder}; run the same command again to resume.").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }

            progress.Finish();
            var c = result.Counts;
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"done: {c.Planned} tiles planned, {c.Scored} scored, {c.Empty} empty, {c.Failed} failed, {c.Skipped} already done; {result.Pipeline.TilesPerSecond:0.0} tiles/s; outputs in {options.OutputFolder} (run.json)")).ConfigureAwait(false);
            if (c.Failed > 0)
            {
                await context.Error.WriteLineAsync($"{c.Failed} tiles failed (reasons in scores.csv); run the same command again to retry them.").ConfigureAwait(false);
                return ExitCodes.TilesFailed;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
