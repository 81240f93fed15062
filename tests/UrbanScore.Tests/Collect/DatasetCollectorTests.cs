using System.Globalization;
using UrbanScore.Cli;
using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Tools.Cities;
using UrbanScore.Tools.Collect;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tests.Collect;

public sealed class DatasetCollectorTests : IDisposable
{
    // Two places 300 m apart share their zoom-12 tile (deduplication); a third is far away.
    private static readonly City[] s_cities =
    [
        new City(Id: 1, Name: "Lyon", Country: "FR", Population: 500_000, Location: new LonLat(Lon: 4.8357, Lat: 45.7640)),
        new City(Id: 2, Name: "Villeurbanne, Rhône", Country: "FR", Population: 150_000, Location: new LonLat(Lon: 4.8390, Lat: 45.7650)),
        new City(Id: 3, Name: "Nagpur", Country: "IN", Population: 2_400_000, Location: new LonLat(Lon: 79.0882, Lat: 21.1458)),
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "urbanscore-collect-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_DemoWorldServer_CountsDedupExclusionAndManifest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { Concurrency = 4 });
        var source = new XyzTileSource(server.XyzTemplate, fetcher);
        var options = Options("a", neighbours: 1, random: 25);

        var result = await DatasetCollector.RunAsync(source, options, ct);

        // Lyon and Villeurbanne share the centre tile, hence the whole 3×3: 9 + 9 distinct tiles.
        Assert.Equal(18, result.PlannedCityTiles);
        Assert.Empty(result.SkippedCityTiles);
        Assert.Equal(0, result.MissingRandomTiles);
        Assert.Equal(18 + 25, result.Tiles.Count);
        Assert.Equal(result.Tiles.Count, result.Tiles.Select(t => t.Tile).Distinct().Count());
        Assert.Equal(18, result.CityCount);
        Assert.Equal(25, result.NotCityCount);
        Assert.All(result.Tiles.Where(t => t.SampledAs == DatasetTile.CityLabel), t => Assert.NotEqual("Villeurbanne, Rhône", t.City));

        // Exclusion radius: every random tile centre at least 10 km from every city (brute force).
        foreach (var tile in result.Tiles.Where(t => t.SampledAs == DatasetTile.RandomSample))
        {
            Assert.All(s_cities, c => Assert.True(CityExclusionGrid.DistanceKm(tile.Centre, c.Location) >= 10, $"{tile.Tile} is inside 10 km of {c.Name}"));
            Assert.True(s_cities.Min(c => CityExclusionGrid.DistanceKm(tile.Centre, c.Location)) <= 60 + 7, $"{tile.Tile} is farther than the spread (60 km) and half a zoom-12 tile diagonal");
        }

        // Folders hold exactly the manifest's files, each the server's JPEG for that tile.
        var files = Directory.GetFiles(options.OutputFolder, "*.jpg", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(options.OutputFolder, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(result.Tiles.Select(t => t.File).Order(StringComparer.Ordinal), files);
        var sample = result.Tiles[0];
        Assert.Equal(DemoWorldRenderer.Default.RenderJpeg(sample.Tile), await File.ReadAllBytesAsync(Path.Combine(options.OutputFolder, sample.File), ct));

        var lines = await File.ReadAllLinesAsync(result.ManifestPath, ct);
        Assert.Equal(DatasetCollector.ManifestHeader, lines[0]);
        Assert.Equal(result.Tiles.Count + 1, lines.Length);
        var lyon = WebMercator.TileAt(s_cities[0].Location, 12);
        var row = lines.Single(l => l.StartsWith(string.Create(CultureInfo.InvariantCulture, $"city/12_{lyon.Col}_{lyon.Row}.jpg,"), StringComparison.Ordinal));
        var centre = RandomTileSampler.TileCentre(lyon);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"city/12_{lyon.Col}_{lyon.Row}.jpg,city,12,{lyon.Col},{lyon.Row},{centre.Lon:0.######},{centre.Lat:0.######},Lyon,500000,city"), row);
        Assert.Contains(lines, l => l.StartsWith("not-city/12_", StringComparison.Ordinal) && l.EndsWith(",,0,random", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_SameSeed_SameDataset_OtherSeed_Different()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), Options("a", random: 15, seed: 7), ct);
        var second = await DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), Options("b", random: 15, seed: 7), ct);
        var other = await DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), Options("c", random: 15, seed: 8), ct);

        Assert.Equal(await File.ReadAllTextAsync(first.ManifestPath, ct), await File.ReadAllTextAsync(second.ManifestPath, ct));
        foreach (var tile in first.Tiles)
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_root, "a", tile.File), ct), await File.ReadAllBytesAsync(Path.Combine(_root, "b", tile.File), ct));
        }

        Assert.NotEqual(first.Tiles.Select(t => t.Tile), other.Tiles.Select(t => t.Tile));
    }

    [Fact]
    public async Task RunAsync_EmptyTiles_CitySkippedRandomReplaced()
    {
        var ct = TestContext.Current.CancellationToken;
        var lyon = WebMercator.TileAt(s_cities[0].Location, 12);
        var nagpur = WebMercator.TileAt(s_cities[2].Location, 12);
        var source = new DemoWorldTileSource(t => t == nagpur || (t != lyon && (t.Col + t.Row) % 3 == 0));

        var result = await DatasetCollector.RunAsync(source, Options("a", random: 30), ct);

        var skipped = Assert.Single(result.SkippedCityTiles);
        Assert.Equal(nagpur, skipped.Tile);
        Assert.Equal("Nagpur", skipped.City);
        Assert.Equal("blank tile", skipped.Reason);
        Assert.Equal(30, result.Tiles.Count(t => t.SampledAs == DatasetTile.RandomSample));
        Assert.True(result.ReplacedRandomTiles > 0);
        Assert.Equal(2 + 30 + result.ReplacedRandomTiles, source.Fetches);
        Assert.DoesNotContain(result.Tiles, t => t.Tile != lyon && (t.Tile.Col + t.Tile.Row) % 3 == 0);
    }

    [Fact]
    public async Task RunAsync_BoundingBoxAndGroundTruth_TilesInsideLabelledByTruth()
    {
        var ct = TestContext.Current.CancellationToken;
        var box = new BoundingBox(MinX: 4.5, MinY: 45.5, MaxX: 5.2, MaxY: 46.0);
        var options = new CollectOptions
        {
            Zoom = 13,
            Cities = s_cities,
            OutputFolder = Path.Combine(_root, "a"),
            RandomCount = 30,
            ExcludeRadiusKm = 3,
            RandomArea = box,
            GroundTruth = DemoWorldRenderer.Default.IsUrban,
        };

        var result = await DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), options, ct);

        foreach (var tile in result.Tiles)
        {
            Assert.Equal(DemoWorldRenderer.Default.IsUrban(tile.Tile) ? DatasetTile.CityLabel : DatasetTile.NotCityLabel, tile.Label);
            Assert.StartsWith(tile.Label + "/", tile.File, StringComparison.Ordinal);
            if (tile.SampledAs == DatasetTile.RandomSample)
            {
                Assert.InRange(tile.Centre.Lon, box.MinX - 0.05, box.MaxX + 0.05);
                Assert.InRange(tile.Centre.Lat, box.MinY - 0.05, box.MaxY + 0.05);
            }
        }

        // Random tiles 3 km from Lyon's centre are inside its urban fabric: the truth labels some of them city.
        Assert.Contains(result.Tiles, t => t.SampledAs == DatasetTile.RandomSample && t.Label == DatasetTile.CityLabel);
        Assert.Contains(result.Tiles, t => t.SampledAs == DatasetTile.RandomSample && t.Label == DatasetTile.NotCityLabel);
    }

    [Fact]
    public async Task RunAsync_OutputFolderNotEmpty_Throws()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Path.Combine(_root, "a"));
        await File.WriteAllTextAsync(Path.Combine(_root, "a", "keep.txt"), "x", ct);

        var ex = await Assert.ThrowsAsync<UrbanScoreException>(() => DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), Options("a", random: 1), ct));
        Assert.Contains("not empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsNearCity_RandomPoints_MatchesBruteForce()
    {
        var random = new Random(3);
        var cities = Enumerable.Range(0, 400).Select(_ => new LonLat(Lon: (random.NextDouble() * 360) - 180, Lat: (random.NextDouble() * 170) - 85)).ToList();
        foreach (var radius in new[] { 0.5, 10.0, 300.0 })
        {
            var grid = new CityExclusionGrid(cities, radius);
            for (var i = 0; i < 2000; i++)
            {
                var point = new LonLat(Lon: (random.NextDouble() * 360) - 180, Lat: (random.NextDouble() * 170) - 85);
                Assert.Equal(cities.Any(c => CityExclusionGrid.DistanceKm(point, c) < radius), grid.IsNearCity(point));
            }
        }
    }

    [Fact]
    public async Task Collect_CliAgainstDemoWorldServer_WritesDatasetAndSummary()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var folder = Path.Combine(_root, "cli");

        var code = await UrbanScoreCli.RunAsync(
            ["collect", "--xyz", server.XyzTemplate, "--zoom", "14", "--min-population", "15000000", "--random", "6", "--seed", "1", "--label-by", "demo-world", "--out", folder],
            new CliContext(output, error, false), ct);

        Assert.Equal(ExitCodes.Success, code);
        var expectedCities = CityCatalog.Embedded.Cities.Where(c => c.Population >= 15_000_000)
            .Select(c => WebMercator.TileAt(c.Location, 14)).Distinct().Count();
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{expectedCities} city tiles planned, 0 skipped"), output.ToString(), StringComparison.Ordinal);
        Assert.Equal(expectedCities + 6 + 1, (await File.ReadAllLinesAsync(Path.Combine(folder, "manifest.csv"), ct)).Length);

        var again = await UrbanScoreCli.RunAsync(["collect", "--xyz", server.XyzTemplate, "--zoom", "14", "--out", folder], new CliContext(output, error, false), ct);
        Assert.Equal(ExitCodes.BadInput, again);
        Assert.Contains("not empty", error.ToString(), StringComparison.Ordinal);
    }

    private CollectOptions Options(string folder, int neighbours = 0, int random = 10, int seed = 42) => new()
    {
        Zoom = 12,
        Cities = s_cities,
        OutputFolder = Path.Combine(_root, folder),
        Neighbours = neighbours,
        RandomCount = random,
        Seed = seed,
        Concurrency = 4,
    };
}
