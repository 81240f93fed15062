using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using UrbanScore.Geo;
using UrbanScore.Tiling;

namespace UrbanScore.Cli.Commands.Plan;

/// <summary><c>urbanscore plan</c>: what scoring an area would take (tiles, km², time, shard sizes), fetching nothing.</summary>
internal static class PlanCommand
{
    /// <summary>Default throughput for the estimate, tiles/s: a CPU run against a polite server (measure yours with score's final line).</summary>
    private const double DefaultTilesPerSecond = 50;

    public static Command Create(CliContext context)
    {
        var area = new AreaOptions();
        var zoom = new Option<int>("--zoom") { Description = "Web-mercator zoom level.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var shards = new Option<int>("--shards") { Description = "Split into this many shards and show their sizes.", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--tiles-per-second") { Description = "Throughput for the time estimate (per shard).", DefaultValueFactory = _ => DefaultTilesPerSecond };
        var command = new Command("plan", "Count the tiles of an area at a zoom, its km², the estimated run time and shard sizes, without fetching anything.");
        area.AddTo(command, withShard: false);
        foreach (var option in new Option[] { zoom, json, shards, rate })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var z = parseResult.GetValue(zoom);
            WebMercator.CheckZoom(z);

            var n = parseResult.GetValue(shards);
            var tps = parseResult.GetValue(rate);
            if (n < 1 || !(tps > 0))
            {
                throw new UrbanScoreException("--shards must be at least 1 and --tiles-per-second positive.");
            }

            var selected = area.Read(parseResult, message => context.Error.WriteLine(message));
            var watch = Stopwatch.StartNew();
            var cover = selected.Cover(TileMatrixSet.WebMercatorQuad(), z);
            var coverSeconds = watch.Elapsed.TotalSeconds;
            var sizes = Enumerable.Range(0, n).Select(k => new Shard(Index: k, Count: n).Size(cover.Count)).ToArray();
            double? km2 = selected is PolygonArea polygon ? polygon.SquareKilometres : null;
            var seconds = sizes.Max() / tps;
            var e = cover.Extent;
            if (parseResult.GetValue(json))
            {
                var plan = new
                {
                    area = selected.Description,
                    zoom = z,
                    tiles = cover.Count,
                    squareKilometres = km2 is { } a ? Math.Round(a, 1) : (double?)null,
                    extent = new { minCol = e.MinCol, minRow = e.MinRow, maxCol = e.MaxCol, maxRow = e.MaxRow },
                    tilesPerSecond = tps,
                    estimatedSeconds = Math.Round(seconds, 1),
                    shards = sizes,
                };
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(plan)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var text = string.Create(CultureInfo.InvariantCulture, $"""
                area:      {selected.Description}
                zoom:      {z}
                tiles:     {cover.Count:N0} (cols {e.MinCol}..{e.MaxCol}, rows {e.MinRow}..{e.MaxRow}; cover computed in {coverSeconds:0.000} s)
                surface:   {(km2 is { } k ? k.ToString("N0", CultureInfo.InvariantCulture) + " km²" : "n/a (tile list)")}
                estimate:  {FormatDuration(seconds)} at {tps:0.#} tiles/s{(n > 1 ? " per shard" : string.Empty)}
                shards:    {n} × {(n > 1 ? string.Join(", ", sizes.Take(8).Select(s => s.ToString("N0", CultureInfo.InvariantCulture))) + (n > 8 ? ", …" : string.Empty) : sizes[0].ToString("N0", CultureInfo.InvariantCulture))} tiles
                """);
            await context.Out.WriteLineAsync(text).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string FormatDuration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Ceiling(seconds));
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds:00} s");
    }
}
