using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using UrbanScore.Geo;
using UrbanScore.Tiling;
using UrbanScore.Tools.Benchmarking;

namespace UrbanScore.Cli.Commands.Plan;

/// <summary><c>urbanscore plan</c>: what scoring an area would take (tiles, km², time, shard sizes), fetching nothing.</summary>
internal static class PlanCommand
{
    /// <summary>Throughput assumed when nothing was measured, tiles/s: a CPU run against a polite server.</summary>
    private const double AssumedTilesPerSecond = 50;

    public static Command Create(CliContext context)
    {
        var area = new AreaOptions();
        var zoom = new Option<int>("--zoom") { Description = "Web-mercator zoom level.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var shards = new Option<int>("--shards") { Description = "Split into this many shards and show their sizes.", DefaultValueFactory = _ => 1 };
        var rate = new Option<double?>("--tiles-per-second") { Description = "Throughput for the time estimate (per shard); default: measured (--model calibrates, else the last 'bench' here)." };
        var model = new Option<string?>("--model") { Description = "Calibrate the estimate: a few seconds of the pipeline on this model, on this machine." };
        var command = new Command("plan", "Count the tiles of an area at a zoom, its km², the estimated run time and shard sizes, without fetching anything.");
        area.AddTo(command, withShard: false);
        foreach (var option in new Option[] { zoom, json, shards, rate, model })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var z = parseResult.GetValue(zoom);
            WebMercator.CheckZoom(z);

            var n = parseResult.GetValue(shards);
            var given = parseResult.GetValue(rate);
            if (n < 1 || given is <= 0 || given is { } g && !double.IsFinite(g))
            {
                throw new UrbanScoreException("--shards must be at least 1 and --tiles-per-second positive.");
            }

            var selected = area.Read(parseResult, message => context.Error.WriteLine(message));
            var (tps, rateSource) = await RateAsync(given, parseResult.GetValue(model), context, cancellationToken).ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            var cover = selected.Cover(TileMatrixSet.WebMercatorQuad(), z);
            var coverSeconds = watch.Elapsed.TotalSeconds;
            var sizes = Enumerable.Range(0, n).Select(k => new Shard(Index: k, Count: n).Size(cover.Count)).ToArray();
            var km2 = selected.SquareKilometres;
            var matrix = TileMatrixSet.WebMercatorQuad()[z];
            var seconds = sizes.Max() / tps;
            var e = cover.Extent;
            if (parseResult.GetValue(json))
            {
                var plan = new PlanJson(
                    Area: selected.Description,
                    Zoom: z,
                    Tiles: cover.Count,
                    SquareKilometres: Math.Round(km2, 1),
                    TileMatrix: matrix.Identifier,
                    MetresPerPixel: Math.Round(matrix.Resolution, 3),
                    Extent: new PlanExtentJson(MinCol: e.MinCol, MinRow: e.MinRow, MaxCol: e.MaxCol, MaxRow: e.MaxRow),
                    TilesPerSecond: Math.Round(tps, 1),
                    RateSource: rateSource,
                    EstimatedSeconds: Math.Round(seconds, 1),
                    Shards: sizes);
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(plan, CliJson.Output.PlanJson)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var text = string.Create(CultureInfo.InvariantCulture, $"""
                area:      {selected.Description}
                zoom:      {z}
                matrix:    {MatrixText.Describe(TileMatrixSet.WebMercatorQuad(), z, (selected.LonLatBounds.MinY + selected.LonLatBounds.MaxY) / 2)}
                tiles:     {cover.Count:N0} (cols {e.MinCol}..{e.MaxCol}, rows {e.MinRow}..{e.MaxRow}; cover computed in {coverSeconds:0.000} s)
                surface:   {(km2 >= 10 ? km2.ToString("N0", CultureInfo.InvariantCulture) : km2.ToString("0.###", CultureInfo.InvariantCulture))} km² (ground area on the WGS 84 ellipsoid)
                estimate:  {FormatDuration(seconds)} at {tps:0.#} tiles/s{(n > 1 ? " per shard" : string.Empty)}, {rateSource}
                shards:    {n} × {(n > 1 ? string.Join(", ", sizes.Take(8).Select(s => s.ToString("N0", CultureInfo.InvariantCulture))) + (n > 8 ? ", …" : string.Empty) : sizes[0].ToString("N0", CultureInfo.InvariantCulture))} tiles
                """);
            await context.Out.WriteLineAsync(text).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The rate for the estimate and where it comes from: given, calibrated on the model, the last bench, or assumed.</summary>
    private static async Task<(double TilesPerSecond, string Source)> RateAsync(double? given, string? model, CliContext context, CancellationToken cancellationToken)
    {
        if (given is { } value)
        {
            return (value, "the rate given with --tiles-per-second");
        }

        if (model is not null)
        {
            await context.Error.WriteLineAsync("calibrating: a few seconds of the pipeline on the model…").ConfigureAwait(false);
            var report = await BenchRunner.RunAsync(new BenchOptions { ModelPath = model, Tiles = 300, StageSeconds = 0.5, DistinctTiles = 16 }, null, cancellationToken).ConfigureAwait(false);
            return (report.EndToEnd.TilesPerSecond, "calibrated just now on " + Path.GetFileName(model) + " (end to end, loopback server; a remote server may be slower)");
        }

        if (BenchHistory.Last() is { } last)
        {
            return (last.TilesPerSecond, BenchHistory.Describe(last));
        }

        return (AssumedTilesPerSecond, "assumed (nothing measured here yet: pass --model to calibrate, or run 'bench')");
    }

    private static string FormatDuration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Ceiling(seconds));
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds:00} s");
    }
}
