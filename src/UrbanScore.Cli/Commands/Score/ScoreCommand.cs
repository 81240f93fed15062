using System.CommandLine;
using System.Globalization;
using UrbanScore.Runs;
using UrbanScore.Sources;

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
        var zoom = new Option<int?>("--zoom") { Description = "Zoom level (web-mercator zoom, or the level whose resolution matches it); --tile-matrix chooses a WMTS level directly instead." };
        var noPreflight = new Option<bool>("--no-preflight") { Description = "Skip the check of the source (a few real tile requests) before the run." };
        var maxOutage = new Option<string>("--max-outage") { Description = "End the run (exit 3, resumable) when no request has succeeded for this long: 90s, 15m, 2h; 0 = never.", DefaultValueFactory = _ => "15m" };
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
        foreach (var option in new Option[] { zoom, output, positive, force, noPreflight, maxOutage })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var area = areaOptions.Read(parseResult, message => context.Error.WriteLine(message));
            var zoomLevel = parseResult.GetValue(zoom);
            if (zoomLevel is null && (parseResult.GetValue(source.TileMatrix) is null || parseResult.GetValue(source.Xyz) is not null))
            {
                throw new UrbanScoreException("No level given; pass --zoom Z (e.g. --zoom 15), or with --wmts --tile-matrix ID to choose a tile matrix directly.");
            }

            var outageLimit = OutageOptions.Parse(parseResult.GetValue(maxOutage)!);
            var httpOptions = http.Read(parseResult, context.Secrets);
            source.WarnKeyLike(parseResult, context.Secrets, message => context.Error.WriteLine(message));
            using var observe = logging.Start(parseResult, context);
            var request = new ScoreRequest
            {
                XyzTemplate = parseResult.GetValue(source.Xyz),
                WmtsCapabilities = parseResult.GetValue(source.Wmts),
                Wmts = source.Choice(parseResult),
                Area = area,
                Shard = areaOptions.Shard(parseResult),
                Zoom = zoomLevel ?? 0, // --tile-matrix alone: the matrix is chosen by its identifier, the zoom is unused
                ModelPath = model.ModelPath(parseResult),
                LabelsPath = model.LabelsPath(parseResult),
                Device = model.ExecutionDevice(parseResult),
                BatchSize = model.Batch(parseResult),
                DecodeWorkers = model.DecodeWorkers(parseResult),
                OutputFolder = parseResult.GetValue(output)!,
                PositiveLabel = parseResult.GetValue(positive)!,
                Force = parseResult.GetValue(force),
                Products = products.Products(parseResult),
                Http = httpOptions,
                Sinks = [observe.Sink],
                CommandLine = "urbanscore " + string.Join(' ', parseResult.Tokens.Select(t => t.Value)),
            };

            using var run = await ScoreRun.OpenAsync(request, cancellationToken).ConfigureAwait(false);
            var latitude = (area.LonLatBounds.MinY + area.LonLatBounds.MaxY) / 2;
            await context.Out.WriteLineAsync($"scoring {run.Source.Description} at {MatrixText.Describe(run.Source.MatrixSet, run.Level, latitude)} into {request.OutputFolder}").ConfigureAwait(false);
            if (!parseResult.GetValue(noPreflight))
            {
                var preflight = await run.PreflightAsync(cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(preflight.Summary).ConfigureAwait(false);
                foreach (var warning in preflight.Warnings)
                {
                    await context.Error.WriteLineAsync(warning).ConfigureAwait(false);
                }
            }

            var progress = new ProgressPrinter(logging.IsJson(parseResult) ? context with { IsInteractive = false } : context); // JSON logs: plain lines only
            ScoreJobResult result;
            using var outageStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var watchStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var outage = new OutageMonitor(run.Fetcher, outageLimit, line => context.Error.WriteLine(line));
            var watching = outage.RunAsync(outageStop, watchStop.Token);
            try
            {
                result = await run.RunAsync(progress, outageStop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (outage.Exceeded && !cancellationToken.IsCancellationRequested)
            {
                progress.Finish();
                await context.Error.WriteLineAsync($"stopped: {outage.Describe()} (--max-outage); what was scored is saved in {request.OutputFolder}; run the same command again to resume when the server is back.").ConfigureAwait(false);
                return ExitCodes.TilesFailed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                progress.Finish();
                await context.Error.WriteLineAsync($"interrupted: what was scored is saved in {request.OutputFolder}; run the same command again to resume.").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }
            finally
            {
                await watchStop.CancelAsync().ConfigureAwait(false);
                await watching.ConfigureAwait(false);
            }

            progress.Finish();
            var c = result.Counts;
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"done: {c.Planned} tiles planned, {c.Scored} scored, {c.Empty} empty, {c.Failed} failed, {c.Skipped} already done; {result.Pipeline.TilesPerSecond:0.0} tiles/s; outputs in {request.OutputFolder} (run.json)")).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"view: {context.CommandName} serve {request.OutputFolder}").ConfigureAwait(false);
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
