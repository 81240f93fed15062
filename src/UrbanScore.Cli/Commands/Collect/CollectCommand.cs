using System.CommandLine;
using System.Globalization;
using UrbanScore.Geo;
using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Tools.Cities;
using UrbanScore.Tools.Collect;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Cli.Commands.Collect;

/// <summary><c>urbanscore collect</c>: downloads a city / not-city training set (city-centre tiles and random tiles).</summary>
internal static class CollectCommand
{
    public static Command Create(CliContext context)
    {
        var source = new SourceOptions();
        var http = new HttpOptions();
        var zoom = new Option<int>("--zoom") { Description = "Zoom level of the tiles (the zoom you will score at).", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (new or empty): city/, not-city/, manifest.csv.", Required = true };
        var minPopulation = new Option<long>("--min-population") { Description = "Cities with at least this many inhabitants.", DefaultValueFactory = _ => 200_000 };
        var cities = new Option<string?>("--cities") { Description = "City list (GeoNames cities15000.txt, SimpleMaps worldcities.csv or UrbanScore CSV) instead of the embedded GeoNames list." };
        var random = new Option<int>("--random", "--negatives") { Description = "Random not-city tiles to keep (failed or empty draws are replaced): away from cities, or outside --city-outlines.", DefaultValueFactory = _ => 2000 };
        var outlines = new Option<string?>("--city-outlines") { Description = "GeoJSON Polygon/MultiPolygon city outlines: positives are tiles inside them, negatives tiles outside them (instead of city centres)." };
        var positives = new Option<int>("--positives") { Description = "With --city-outlines: tiles inside the outlines to keep, drawn at random (failed or empty draws are replaced).", DefaultValueFactory = _ => 2000 };
        var insideShare = new Option<double?>("--inside-share") { Description = "With --city-outlines: a tile is inside when at least this share of its area is (default: when its centre is)." };
        var outlineBuffer = new Option<double>("--outline-buffer-m") { Description = "With --city-outlines: negatives lie at least this many metres outside every outline.", DefaultValueFactory = _ => CollectOptions.DefaultOutlineBufferMetres };
        var neighbours = new Option<int>("--neighbours") { Description = "Ring of tiles around each city-centre tile: 0 = centre only, 1 = 3×3, 2 = 5×5." };
        var exclude = new Option<double>("--exclude-radius-km") { Description = "No random tile within this distance of a city.", DefaultValueFactory = _ => CollectOptions.DefaultExcludeRadiusKm };
        var seed = new Option<int>("--seed") { Description = "Seed of the random tiles (same seed, same dataset).", DefaultValueFactory = _ => 42 };
        var bbox = new Option<string?>("--bbox") { Description = "Draw random tiles uniformly in minLon,minLat,maxLon,maxLat (default: around the cities, within --random-spread-km)." };
        var spread = new Option<double>("--random-spread-km") { Description = "Without --bbox: random tiles lie within this distance of a random city.", DefaultValueFactory = _ => CollectOptions.DefaultRandomSpreadKm };
        var labelBy = new Option<string>("--label-by") { Description = "'sampling' (city tiles are city, random tiles not-city) or 'demo-world' (label by the demo world's exact ground truth, urban fraction >= 0.5).", DefaultValueFactory = _ => "sampling" };
        labelBy.AcceptOnlyFromAmong("sampling", "demo-world");

        var command = new Command("collect", "Download a city / not-city training set: the tile of each city centre (or tiles inside --city-outlines) and random tiles away from them.");
        source.AddTo(command);
        http.AddTo(command);
        foreach (var option in new Option[] { zoom, output, minPopulation, cities, random, neighbours, exclude, seed, bbox, spread, labelBy, outlines, positives, insideShare, outlineBuffer })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var zoomLevel = parseResult.GetValue(zoom);
            WebMercator.CheckZoom(zoomLevel);

            var outlineArea = parseResult.GetValue(outlines) is { } outlinePath ? PolygonArea.FromGeoJson(outlinePath, context.Error.WriteLine) : null;
            var min = parseResult.GetValue(minPopulation);
            var catalog = parseResult.GetValue(cities) is { } path
                ? await CityCatalog.LoadAsync(path, min, cancellationToken).ConfigureAwait(false)
                : CityCatalog.Embedded;
            var selected = catalog.Cities.Where(c => c.Population >= min).ToList();
            var httpOptions = http.Read(parseResult, context.Secrets);
            using var fetcher = new HttpTileFetcher(httpOptions);
            var (tileSource, level, _) = await source.OpenAsync(parseResult, fetcher, httpOptions, zoomLevel, referenceLatitude: 0, cancellationToken).ConfigureAwait(false);
            if (!tileSource.MatrixSet.IsWebMercatorQuad)
            {
                throw new UrbanScoreException($"collect needs web-mercator (GoogleMapsCompatible) tiles, and {tileSource.Description} uses {tileSource.MatrixSet.Identifier}; choose an EPSG:3857 set with --tile-matrix-set.");
            }

            var options = new CollectOptions
            {
                Zoom = level,
                Cities = selected,
                OutputFolder = parseResult.GetValue(output)!,
                RandomCount = parseResult.GetValue(random),
                Neighbours = parseResult.GetValue(neighbours),
                ExcludeRadiusKm = parseResult.GetValue(exclude),
                Seed = parseResult.GetValue(seed),
                RandomArea = parseResult.GetValue(bbox) is { } box ? TileCover.ParseBoundingBox(box) : null,
                RandomSpreadKm = parseResult.GetValue(spread),
                Concurrency = httpOptions.Concurrency,
                GroundTruth = parseResult.GetValue(labelBy) == "demo-world" ? DemoWorldRenderer.Default.IsUrban : null,
                Outlines = outlineArea,
                PositiveCount = parseResult.GetValue(positives),
                MinInsideShare = parseResult.GetValue(insideShare),
                OutlineBufferMetres = parseResult.GetValue(outlineBuffer),
            };

            if (outlineArea is not null)
            {
                return await CollectOutlinesAsync(context, tileSource.Description, options, tileSource, cancellationToken).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"collecting {selected.Count} cities (population >= {min}) and {options.RandomCount} random tiles from {tileSource.Description} at level {options.Zoom} into {options.OutputFolder}")).ConfigureAwait(false);
            var result = await DatasetCollector.RunAsync(tileSource, options, cancellationToken).ConfigureAwait(false);
            foreach (var skipped in result.SkippedCityTiles.Take(10))
            {
                await context.Error.WriteLineAsync($"skipped city tile {skipped.Tile.Zoom}/{skipped.Tile.Col}/{skipped.Tile.Row} ({skipped.City}): {skipped.Reason}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"done: {result.CityCount} city and {result.NotCityCount} not-city tiles; {result.PlannedCityTiles} city tiles planned, {result.SkippedCityTiles.Count} skipped; {result.ReplacedRandomTiles} random draws replaced, {result.MissingRandomTiles} missing; manifest {result.ManifestPath}")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> CollectOutlinesAsync(CliContext context, string sourceDescription, CollectOptions options, ITileSource source, CancellationToken cancellationToken)
    {
        var rule = options.MinInsideShare is { } share ? string.Create(CultureInfo.InvariantCulture, $"at least {share:P0} of the tile inside") : "tile centre inside";
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"collecting {options.PositiveCount} tiles inside {options.Outlines!.Description} ({rule}) and {options.RandomCount} tiles at least {options.OutlineBufferMetres} m outside from {sourceDescription} at level {options.Zoom} into {options.OutputFolder}")).ConfigureAwait(false);
        var result = await DatasetCollector.RunAsync(source, options, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"done: {result.CityCount} city and {result.NotCityCount} not-city tiles; {result.EligibleOutlineTiles} tiles inside the outlines, {result.ReplacedOutlineTiles} inside draws replaced, {result.MissingOutlineTiles} missing; {result.ReplacedRandomTiles} outside draws replaced, {result.MissingRandomTiles} missing; manifest {result.ManifestPath}")).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
