using System.CommandLine;
using System.Globalization;
using UrbanScore.Inference;
using UrbanScore.Tools.Benchmarking;

namespace UrbanScore.Cli.Commands.Bench;

/// <summary>
/// <c>urbanscore bench</c>: measures decode, inference and the end-to-end pipeline against an in-process tile server
/// and reports tiles/s, the pipeline efficiency and per-stage timings (docs/performance.md). With <c>--serve</c> it only
/// serves the benchmark tiles, for peers (benchmarks/peers/) to fetch the same bytes, and for a <c>bench --server</c>
/// on another machine, which then measures the pipeline without the tile server on its cores.
/// </summary>
internal static class BenchCommand
{
    /// <summary>The demo world's default model, used when --model is not given.</summary>
    private const string DefaultModel = "models/urbanscore-demo.onnx";

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "ONNX model (default: " + DefaultModel + ").", DefaultValueFactory = _ => UrbanScore.Tools.DemoWorld.DemoRun.FindDefaultModel() ?? DefaultModel };
        var labels = new Option<string?>("--labels") { Description = "labels.txt for models whose labels are not inside." };
        var tiles = new Option<int>("--tiles") { Description = "Tiles in each end-to-end run (0 = what the per-core limit and fetching score in 3 × --stage-seconds, at least 2000)." };
        var rounds = new Option<int>("--rounds") { Description = "End-to-end runs, each followed by the per-core limit; the efficiency is their median.", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "Tiles per inference call (0 = chosen from the model and machine)." };
        var threads = new Option<int>("--threads") { Description = "Decode workers (0 = one per core)." };
        var intraOp = new Option<int>("--intra-op-threads") { Description = "ONNX Runtime intra-op threads (0 = chosen from the model and machine)." };
        var fetch = new Option<int>("--fetch-concurrency") { Description = "HTTP requests in flight (0 = sized from the observed latency)." };
        var device = new Option<string>("--device") { Description = "cpu, or cuda[:id] on a GPU build.", DefaultValueFactory = _ => "cpu" };
        var latency = new Option<int>("--latency-ms") { Description = "Latency the bench tile server adds to each response (simulates a remote server)." };
        var seconds = new Option<double>("--stage-seconds") { Description = "Seconds each isolated stage is measured for.", DefaultValueFactory = _ => 3 };
        var images = new Option<string?>("--images") { Description = "Folder of JPEG/PNG tiles to serve instead of rendered demo-world tiles." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (stable keys)." };
        var serve = new Option<bool>("--serve") { Description = "Only serve the benchmark tiles on 127.0.0.1 until Ctrl+C (for peers)." };
        var port = new Option<int>("--port") { Description = "TCP port for --serve (0 = a free one)." };
        var bind = new Option<string>("--bind") { Description = "Address --serve listens on (default 127.0.0.1; another machine's bench --server needs this machine's address).", DefaultValueFactory = _ => "127.0.0.1" };
        var fromMemory = new Option<bool>("--from-memory") { Description = "Hand the end-to-end rounds' tiles over from memory instead of fetching them (no HTTP client, no tile server): with and without it, what fetching costs." };
        var server = new Option<string?>("--server") { Description = "Fetch the end-to-end tiles from a running 'bench --serve' (the address it printed; same --images) instead of an in-process server: on another machine, the pipeline's rate alone." };

        var command = new Command("bench", "Measure tiles/s: decode, inference and the whole pipeline against an in-process tile server, with the pipeline efficiency.");
        foreach (var option in new Option[] { model, labels, tiles, rounds, batch, threads, intraOp, fetch, device, latency, seconds, images, json, serve, port, bind, server, fromMemory })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var files = parseResult.GetValue(images) is { } folder ? ImageFiles(folder) : null;
            var serverText = parseResult.GetValue(server);
            if (parseResult.GetValue(serve))
            {
                if (serverText is not null)
                {
                    throw new UrbanScoreException("--serve and --server do not go together: run 'urbanscore bench --serve' where the tiles are served, and 'urbanscore bench --server ADDRESS' where they are scored.");
                }

                return await ServeAsync(context, files, parseResult.GetValue(latency), parseResult.GetValue(bind)!, parseResult.GetValue(port), cancellationToken).ConfigureAwait(false);
            }

            var options = new BenchOptions
            {
                ModelPath = parseResult.GetValue(model)!,
                LabelsPath = parseResult.GetValue(labels),
                Tiles = parseResult.GetValue(tiles),
                Rounds = parseResult.GetValue(rounds),
                BatchSize = parseResult.GetValue(batch),
                Threads = parseResult.GetValue(threads),
                IntraOpThreads = parseResult.GetValue(intraOp),
                FetchConcurrency = parseResult.GetValue(fetch),
                Device = ExecutionDevice.Parse(parseResult.GetValue(device)!),
                LatencyMs = parseResult.GetValue(latency),
                StageSeconds = parseResult.GetValue(seconds),
                ImageFiles = files,
                Server = serverText,
                FromMemory = parseResult.GetValue(fromMemory),
            };
            var asJson = parseResult.GetValue(json);
            var log = asJson ? null : new LineProgress(context.Error);
            var report = await BenchRunner.RunAsync(options, log, cancellationToken).ConfigureAwait(false);
            if (!options.FromMemory)
            {
                // plan's estimate uses it; a rate without fetching would promise more than a run can do
                BenchHistory.Save(report.EndToEnd.TilesPerSecond, options.ModelPath);
            }
            await context.Out.WriteLineAsync(asJson ? report.ToJson() : BenchText.Format(report)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string[] ImageFiles(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new UrbanScoreException($"The image folder {folder} does not exist; pass a folder of JPEG or PNG tiles with --images.");
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return files.Length > 0 ? files : throw new UrbanScoreException($"The folder {folder} holds no .jpg, .jpeg or .png files; pass a folder of tiles with --images.");
    }

    private static async Task<int> ServeAsync(CliContext context, string[]? files, int latencyMs, string bind, int port, CancellationToken cancellationToken)
    {
        if (port is < 0 or > 65535 || latencyMs < 0)
        {
            throw new UrbanScoreException("--port must be 0..65535 and --latency-ms cannot be negative.");
        }

        var address = await ListenAddress.ParseAsync(bind, "fetch the benchmark tiles", context.Error).ConfigureAwait(false);

        IReadOnlyList<byte[]> tiles = files is null ? BenchRunner.RenderDemoTiles(64) : [.. files.Select(File.ReadAllBytes)];
        await using var server = await BenchTileServer.StartAsync(tiles, TimeSpan.FromMilliseconds(latencyMs), address, port, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"serving {tiles.Count} benchmark tiles at {server.XyzTemplate}")).ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C is the normal way to stop a server.
        }

        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"stopped after {server.Requests} requests.")).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Writes progress lines as they come (synchronously: no reordering).</summary>
    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine("bench: " + value);
    }
}
