using System.CommandLine;
using System.Globalization;
using UrbanScore.Runs;

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
            using var observe = logging.Start(parseResult, context);
            var request = new ScoreRequest
            {
                XyzTemplate = parseResult.GetValue(source.Xyz),
                WmtsCapabilities = parseResult.GetValue(source.Wmts),
                Wmts = source.Choice(parseResult),
                Area = area,
                Shard = areaOptions.Shard(parseResult),
                Zoom = parseResult.GetValue(zoom),
                ModelPath = model.ModelPath(parseResult),
                LabelsPath = model.LabelsPath(parseResult),
                Device = model.ExecutionDevice(parseResult),
                BatchSize = model.Batch(parseResult),
                DecodeWorkers = model.DecodeWorkers(parseResult),
                OutputFolder = parseResult.GetValue(output)!,
                PositiveLabel = parseResult.GetValue(positive)!,
                Force = parseResult.GetValue(force),
                Products = products.Products(parseResult),
                Http = http.Read(parseResult),
                Sinks = [observe.Sink],
                CommandLine = "urbanscore " + string.Join(' ', parseResult.Tokens.Select(t => t.Value)),
            };

            using var run = await ScoreRun.OpenAsync(request, cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"scoring {run.Source.Description} at level {run.Level} into {request.OutputFolder}").ConfigureAwait(false);
            var progress = new ProgressPrinter(context);
            ScoreJobResult result;
            try
            {
                result = await run.RunAsync(progress, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                progress.Finish();
                await context.Error.WriteLineAsync($"interrupted: what was scored is saved in {request.OutputFolder}; run the same command again to resume.").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }

            progress.Finish();
            var c = result.Counts;
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"done: {c.Planned} tiles planned, {c.Scored} scored, {c.Empty} empty, {c.Failed} failed, {c.Skipped} already done; {result.Pipeline.TilesPerSecond:0.0} tiles/s; outputs in {request.OutputFolder} (run.json)")).ConfigureAwait(false);
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
