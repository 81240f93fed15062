using System.Globalization;
using System.Text;
using UrbanScore.Analysis;
using UrbanScore.Geo;
using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Tools.Cities;

namespace UrbanScore.Tools.Collect;

/// <summary>
/// Collects a city / not-city training set from a tile source: the tile holding each city centre (deduplicated, with
/// an optional ring of neighbours) and seeded random tiles away from every city, fetched concurrently. Writes
/// <c>city/*.jpg</c>, <c>not-city/*.jpg</c> and <c>manifest.csv</c> (the layout Custom Vision and common trainers read).
/// Empty or failed random tiles are replaced by new draws; empty or failed city tiles are reported as skipped.
/// </summary>
public static class DatasetCollector
{
    /// <summary>Header of <c>manifest.csv</c>.</summary>
    public const string ManifestHeader = "file,label,z,x,y,lon,lat,city,population,sampled_as";

    /// <summary>Largest <see cref="CollectOptions.Neighbours"/> ring (11×11 tiles per city).</summary>
    public const int MaxNeighbours = 5;

    /// <summary>Random draws allowed per random tile asked for before giving up on a source with too few images.</summary>
    private const int DrawBudgetPerTile = 10;

    /// <summary>Collects the dataset described by <paramref name="options"/> from <paramref name="source"/>.</summary>
    /// <param name="source">Where tiles come from (web-mercator XYZ grid).</param>
    /// <param name="options">What to collect and where to write it.</param>
    /// <param name="cancellationToken">Cancels the run; files written so far stay, without a manifest.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="UrbanScoreException">Bad options, or an output folder that is not empty.</exception>
    public static async Task<CollectResult> RunAsync(ITileSource source, CollectOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        PrepareFolder(options.OutputFolder);
        if (options.Outlines is { } outlines)
        {
            return await RunOutlinesAsync(source, options, outlines, cancellationToken).ConfigureAwait(false);
        }

        // City tiles, deduplicated: a tile shared by two cities belongs to the first (the list is largest first).
        var planned = new List<(TileIndex Tile, City City)>();
        var taken = new HashSet<TileIndex>();
        foreach (var city in options.Cities)
        {
            foreach (var tile in CityTiles(city.Location, options.Zoom, options.Neighbours))
            {
                if (taken.Add(tile))
                {
                    planned.Add((tile, city));
                }
            }
        }

        var cityResults = new DatasetTile?[planned.Count];
        var skipped = new SkippedTile?[planned.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, planned.Count), Parallelism(options, cancellationToken), async (i, ct) =>
        {
            var (tile, city) = planned[i];
            var (written, reason) = await FetchAndWriteAsync(source, options, tile, city.Name, city.Population, DatasetTile.CityLabel, ct).ConfigureAwait(false);
            cityResults[i] = written;
            skipped[i] = written is null ? new SkippedTile(Tile: tile, City: city.Name, Reason: reason!) : null;
        }).ConfigureAwait(false);

        // Random tiles: rounds of fresh draws until enough were kept. The draw stream is seeded and independent of
        // fetch timing, so the same seed and the same server answers give the same dataset.
        var sampler = new RandomTileSampler(options.Seed, options.Zoom, options.RandomArea, [.. options.Cities.Select(c => c.Location)], options.RandomSpreadKm, options.ExcludeRadiusKm, taken);
        var (randomKept, replaced) = await DrawAsync(source, options, () => sampler.Next(), options.RandomCount, DatasetTile.RandomSample, cancellationToken).ConfigureAwait(false);

        var tiles = cityResults.Where(t => t is not null).Select(t => t!.Value).Concat(randomKept).ToList();
        var manifestPath = Path.Combine(options.OutputFolder, "manifest.csv");
        await AtomicFile.WriteAllTextAsync(manifestPath, ManifestText(tiles), cancellationToken).ConfigureAwait(false);
        return new CollectResult
        {
            ManifestPath = manifestPath,
            Tiles = tiles,
            SkippedCityTiles = [.. skipped.Where(s => s is not null).Select(s => s!.Value)],
            PlannedCityTiles = planned.Count,
            ReplacedRandomTiles = replaced,
            MissingRandomTiles = options.RandomCount - randomKept.Count,
        };
    }

    /// <summary>Positives drawn inside the outlines, negatives drawn outside them by the buffer (see <see cref="CollectOptions.Outlines"/>).</summary>
    private static async Task<CollectResult> RunOutlinesAsync(ITileSource source, CollectOptions options, PolygonArea outlines, CancellationToken cancellationToken)
    {
        var matrixSet = TileMatrixSet.WebMercatorQuad();
        var taken = new HashSet<TileIndex>();
        var keep = (int)Math.Min(int.MaxValue, (long)options.PositiveCount * DrawBudgetPerTile);
        var inside = new OutlineTileSampler(new OutlineShare(outlines.Geometry, matrixSet, options.Zoom), options.MinInsideShare, options.Seed, keep, taken);
        var (positives, replacedPositives) = await DrawAsync(source, options, inside.Next, options.PositiveCount, DatasetTile.OutlineSample, cancellationToken).ConfigureAwait(false);

        // Negatives: uniform by area in the box, away from the outlines grown by the buffer. The same seed gives the
        // same draws whatever the positives were (the stream is its own).
        var near = new OutlineShare(outlines.Buffered(options.OutlineBufferMetres).Geometry, matrixSet, options.Zoom);
        var area = options.RandomArea ?? Grow(outlines.LonLatBounds, options.RandomSpreadKm);
        var sampler = new RandomTileSampler(options.Seed, options.Zoom, area, [], options.RandomSpreadKm, 0, taken, near.Meets);
        var (negatives, replacedNegatives) = await DrawAsync(source, options, () => sampler.Next(), options.RandomCount, DatasetTile.RandomSample, cancellationToken).ConfigureAwait(false);

        var tiles = positives.Concat(negatives).ToList();
        var manifestPath = Path.Combine(options.OutputFolder, "manifest.csv");
        await AtomicFile.WriteAllTextAsync(manifestPath, ManifestText(tiles), cancellationToken).ConfigureAwait(false);
        return new CollectResult
        {
            ManifestPath = manifestPath,
            Tiles = tiles,
            SkippedCityTiles = [],
            PlannedCityTiles = 0,
            EligibleOutlineTiles = inside.Eligible,
            ReplacedOutlineTiles = replacedPositives,
            MissingOutlineTiles = options.PositiveCount - positives.Count,
            ReplacedRandomTiles = replacedNegatives,
            MissingRandomTiles = options.RandomCount - negatives.Count,
        };
    }

    /// <summary>
    /// Fetches tiles from a seeded draw stream in rounds until <paramref name="count"/> were kept, the stream ends or
    /// the draw budget is spent. The stream is independent of fetch timing, so the same seed and the same server
    /// answers give the same tiles.
    /// </summary>
    private static async Task<(List<DatasetTile> Kept, int Replaced)> DrawAsync(
        ITileSource source, CollectOptions options, Func<TileIndex?> next, int count, string sampledAs, CancellationToken cancellationToken)
    {
        var kept = new List<DatasetTile>();
        var replaced = 0;
        var budget = (long)count * DrawBudgetPerTile;
        var exhausted = false;
        while (kept.Count < count && budget > 0 && !exhausted)
        {
            var round = new List<TileIndex>();
            while (round.Count < count - kept.Count && budget > 0)
            {
                if (next() is not { } tile)
                {
                    exhausted = true;
                    break;
                }

                round.Add(tile);
                budget--;
            }

            var roundResults = new DatasetTile?[round.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, round.Count), Parallelism(options, cancellationToken), async (i, ct) =>
            {
                (roundResults[i], _) = await FetchAndWriteAsync(source, options, round[i], string.Empty, 0, sampledAs, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            foreach (var result in roundResults)
            {
                if (result is { } tile)
                {
                    kept.Add(tile);
                }
                else
                {
                    replaced++;
                }
            }
        }

        return (kept, replaced);
    }

    /// <summary>A lon/lat box grown by <paramref name="km"/> on every side (longitudes by the cosine of the box's widest latitude).</summary>
    private static BoundingBox Grow(BoundingBox box, double km)
    {
        var dLat = km / CityExclusionGrid.KmPerDegree;
        var widestLat = Math.Min(85, Math.Max(Math.Abs(box.MinY), Math.Abs(box.MaxY)) + dLat);
        var dLon = dLat / Math.Cos(widestLat * Math.PI / 180);
        var width = box.MaxX >= box.MinX ? box.MaxX - box.MinX : box.MaxX - box.MinX + 360;
        var whole = width + (2 * dLon) >= 360;
        return new BoundingBox(
            MinX: whole ? -180 : WebMercator.WrapLongitude(box.MinX - dLon),
            MinY: Math.Max(-WebMercator.MaxLatitude, box.MinY - dLat),
            MaxX: whole ? 180 : WebMercator.WrapLongitude(box.MaxX + dLon),
            MaxY: Math.Min(WebMercator.MaxLatitude, box.MaxY + dLat));
    }

    /// <summary>The tile holding <paramref name="centre"/> and its ring of <paramref name="neighbours"/> (columns wrap at the antimeridian, rows stop at the poles).</summary>
    public static IEnumerable<TileIndex> CityTiles(LonLat centre, int zoom, int neighbours)
    {
        var middle = WebMercator.TileAt(centre, zoom);
        var n = 1 << zoom;
        for (var dy = -neighbours; dy <= neighbours; dy++)
        {
            var row = middle.Row + dy;
            if (row < 0 || row >= n)
            {
                continue;
            }

            for (var dx = -neighbours; dx <= neighbours; dx++)
            {
                var col = (((middle.Col + dx) % n) + n) % n;
                yield return new TileIndex(Zoom: zoom, Col: col, Row: row);
            }
        }
    }

    private static ParallelOptions Parallelism(CollectOptions options, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };

    private static async Task<(DatasetTile? Tile, string? Reason)> FetchAndWriteAsync(
        ITileSource source, CollectOptions options, TileIndex tile, string city, long population, string sampledAs, CancellationToken cancellationToken)
    {
        var fetched = await source.FetchAsync(tile, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!fetched.HasImage)
            {
                return (null, fetched.Reason ?? fetched.Status.ToString().ToLowerInvariant());
            }

            var extension = ImageSniffer.FileExtension(fetched.Bytes);
            if (extension is null)
            {
                return (null, "not an image");
            }

            var isCity = options.GroundTruth?.Invoke(tile) ?? sampledAs is DatasetTile.CityLabel or DatasetTile.OutlineSample;
            var label = isCity ? DatasetTile.CityLabel : DatasetTile.NotCityLabel;
            var file = label + "/" + string.Create(CultureInfo.InvariantCulture, $"{tile.Zoom}_{tile.Col}_{tile.Row}") + extension;
            await File.WriteAllBytesAsync(Path.Combine(options.OutputFolder, file), fetched.Buffer.AsMemory(0, fetched.Length), cancellationToken).ConfigureAwait(false);
            return (new DatasetTile(File: file, Label: label, Tile: tile, Centre: RandomTileSampler.TileCentre(tile), City: city, Population: population, SampledAs: sampledAs), null);
        }
        finally
        {
            fetched.ReturnBuffer();
        }
    }

    private static string ManifestText(List<DatasetTile> tiles)
    {
        var text = new StringBuilder(ManifestHeader).Append('\n');
        foreach (var t in tiles)
        {
            text.Append(CultureInfo.InvariantCulture, $"{t.File},{t.Label},{t.Tile.Zoom},{t.Tile.Col},{t.Tile.Row},{t.Centre.Lon:0.######},{t.Centre.Lat:0.######},{Csv(t.City)},{t.Population},{t.SampledAs}\n");
        }

        return text.ToString();
    }

    /// <summary>RFC 4180 quoting for names that hold commas or quotes.</summary>
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static void Validate(CollectOptions options)
    {
        if (options.Zoom is < 0 or > 30)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--zoom {options.Zoom} is outside 0..30; choose the zoom you will score at, e.g. 15."));
        }

        if (options.Neighbours is < 0 or > MaxNeighbours)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--neighbours {options.Neighbours} is outside 0..{MaxNeighbours}; use 0 for the centre tile only or 1 for the 3×3 around it."));
        }

        if (options.RandomCount < 0)
        {
            throw new UrbanScoreException("--random must be 0 or a positive number of random tiles.");
        }

        if (!(options.ExcludeRadiusKm >= 0) || !double.IsFinite(options.ExcludeRadiusKm))
        {
            throw new UrbanScoreException("--exclude-radius-km must be 0 or a positive number of kilometres.");
        }

        if (!(options.RandomSpreadKm > 0) || !double.IsFinite(options.RandomSpreadKm))
        {
            throw new UrbanScoreException("--random-spread-km must be a positive number of kilometres.");
        }

        if (options.Concurrency < 1)
        {
            throw new UrbanScoreException("--concurrency must be at least 1.");
        }

        if (options.PositiveCount < 0)
        {
            throw new UrbanScoreException("--positives must be 0 or a positive number of tiles inside the outlines.");
        }

        if (options.MinInsideShare is { } share && !(share is > 0 and <= 1))
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--inside-share {share} is outside (0, 1]; give the share of a tile that must lie inside an outline, e.g. 0.5."));
        }

        if (!(options.OutlineBufferMetres >= 0) || !double.IsFinite(options.OutlineBufferMetres))
        {
            throw new UrbanScoreException("--outline-buffer-m must be 0 or a positive number of metres.");
        }

        if (options.RandomCount > 0 && options.RandomArea is null && options.Cities.Count == 0 && options.Outlines is null)
        {
            throw new UrbanScoreException("Random tiles are drawn around cities but no city passed the filter; lower --min-population or give --bbox for the random tiles.");
        }
    }

    private static void PrepareFolder(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new UrbanScoreException($"The output folder '{folder}' is not empty; give a new folder (collect never mixes two datasets).");
        }

        Directory.CreateDirectory(Path.Combine(folder, DatasetTile.CityLabel));
        Directory.CreateDirectory(Path.Combine(folder, DatasetTile.NotCityLabel));
    }
}
