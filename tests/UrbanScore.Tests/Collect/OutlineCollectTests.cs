using NetTopologySuite.Geometries;
using UrbanScore.Geo;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;
using UrbanScore.Tools.Collect;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tests.Collect;

public sealed class OutlineCollectTests : IDisposable
{
    private const int Zoom = 15;

    // Two lon/lat boxes over Lyon (axis-aligned in web mercator too, so tile shares are easy to compute here).
    private static readonly Envelope[] s_boxes = [new(4.78, 4.90, 45.72, 45.80), new(4.93, 4.99, 45.74, 45.78)];

    private readonly string _root = Directory.CreateTempSubdirectory("urbanscore-outline-collect-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task RunAsync_CentreRule_PositivesInsideNegativesBeyondBuffer()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = Options("a", positives: 25, negatives: 30, share: null, bufferMetres: 2000);

        var result = await DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), options, ct);

        // Eligible tiles: every tile whose centre is in a box, counted by brute force over the boxes' tiles.
        var eligible = AllTiles().Where(t => s_boxes.Any(b => b.Contains(Centre(t)))).ToHashSet();
        Assert.Equal(eligible.Count, result.EligibleOutlineTiles);
        var positives = result.Tiles.Where(t => t.SampledAs == DatasetTile.OutlineSample).ToList();
        var negatives = result.Tiles.Where(t => t.SampledAs == DatasetTile.RandomSample).ToList();
        Assert.Equal(25, positives.Count);
        Assert.Equal(30, negatives.Count);
        Assert.All(positives, t => Assert.Contains(t.Tile, eligible));
        Assert.All(positives, t => Assert.Equal(DatasetTile.CityLabel, t.Label));
        Assert.All(negatives, t => Assert.Equal(DatasetTile.NotCityLabel, t.Label));
        Assert.Equal(result.Tiles.Count, result.Tiles.Select(t => t.Tile).Distinct().Count());

        // Every negative tile is at least the buffer (less 2 % for the local projection) from both boxes.
        foreach (var tile in negatives)
        {
            var distance = s_boxes.Min(b => DistanceMetres(tile.Tile, b));
            Assert.True(distance >= 2000 * 0.98, $"{tile.Tile} is {distance:0} m from an outline");
        }

        // And they were drawn around the outlines: in their bounds grown by the default spread (60 km) on every side.
        Assert.All(negatives, t => Assert.True(DistanceMetres(t.Tile, new Envelope(4.78, 4.99, 45.72, 45.80)) < 60_000 * Math.Sqrt(2)));
    }

    [Fact]
    public async Task RunAsync_ShareRule_EveryPositiveHalfInsideAndSeedReproducible()
    {
        var ct = TestContext.Current.CancellationToken;

        var first = await DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), Options("a", positives: 40, negatives: 10, share: 0.5, bufferMetres: 0), ct);
        var again = await DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), Options("b", positives: 40, negatives: 10, share: 0.5, bufferMetres: 0), ct);
        var other = await DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), Options("c", positives: 40, negatives: 10, share: 0.5, bufferMetres: 0, seed: 9), ct);

        var eligible = AllTiles().Where(t => Share(t) >= 0.5).ToHashSet();
        Assert.Equal(eligible.Count, first.EligibleOutlineTiles);
        Assert.All(first.Tiles.Where(t => t.SampledAs == DatasetTile.OutlineSample), t => Assert.Contains(t.Tile, eligible));
        Assert.All(first.Tiles.Where(t => t.SampledAs == DatasetTile.RandomSample), t => Assert.Equal(0, Share(t.Tile)));
        Assert.Equal(await File.ReadAllTextAsync(first.ManifestPath, ct), await File.ReadAllTextAsync(again.ManifestPath, ct));
        Assert.NotEqual(first.Tiles.Select(t => t.Tile), other.Tiles.Select(t => t.Tile));
        var lines = await File.ReadAllLinesAsync(first.ManifestPath, ct);
        Assert.Equal(DatasetCollector.ManifestHeader, lines[0]);
        Assert.Equal(40, lines.Count(l => l.StartsWith("city/", StringComparison.Ordinal) && l.EndsWith(",,0,outline", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_MorePositivesThanInside_AllTakenRestMissing()
    {
        var ct = TestContext.Current.CancellationToken;
        var result = await DatasetCollector.RunAsync(new DemoWorldTileSource(_ => false), Options("a", positives: 5000, negatives: 0, share: 1, bufferMetres: 0), ct);

        var wholly = AllTiles().Count(t => Share(t) >= 1);
        Assert.Equal(wholly, result.Tiles.Count);
        Assert.Equal(5000 - wholly, result.MissingOutlineTiles);
    }

    [Fact]
    public async Task Collect_CliCityOutlinesAgainstDemoWorldServer_WritesDataset()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        var outlines = Path.Combine(_root, "outlines.geojson");
        await File.WriteAllTextAsync(outlines, """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[4.78,45.72],[4.90,45.72],[4.90,45.80],[4.78,45.80],[4.78,45.72]]]}}]}""", ct);
        var output = Path.Combine(_root, "cli");

        var (exit, stdout, stderr) = await CliRun.RunAsync("collect", "--xyz", server.XyzTemplate, "--zoom", "15", "--city-outlines", outlines,
            "--positives", "6", "--negatives", "4", "--outline-buffer-m", "500", "--concurrency", "2", "--out", output);

        Assert.True(exit == 0, stderr);
        Assert.Contains("done: 6 city and 4 not-city tiles", stdout, StringComparison.Ordinal);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(output, "city")).Length);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(output, "not-city")).Length);

        var (badExit, _, badError) = await CliRun.RunAsync("collect", "--xyz", server.XyzTemplate, "--zoom", "13", "--city-outlines", outlines, "--inside-share", "1.5", "--out", Path.Combine(_root, "bad"));
        Assert.Equal(2, badExit);
        Assert.Contains("--inside-share", badError, StringComparison.Ordinal);
    }

    private CollectOptions Options(string folder, int positives, int negatives, double? share, double bufferMetres, int seed = 5) => new()
    {
        Zoom = Zoom,
        Cities = [],
        OutputFolder = Path.Combine(_root, folder),
        Outlines = new PolygonArea(new GeometryFactory().CreateMultiPolygon([.. s_boxes.Select(b => (Polygon)new GeometryFactory().ToGeometry(b))]), "two boxes"),
        PositiveCount = positives,
        RandomCount = negatives,
        MinInsideShare = share,
        OutlineBufferMetres = bufferMetres,
        Seed = seed,
        Concurrency = 4,
    };

    /// <summary>Every tile of the level that meets the boxes' bounds (a superset of the outlines' cover).</summary>
    private static IEnumerable<TileIndex> AllTiles()
    {
        var nw = WebMercator.TileAt(new LonLat(Lon: 4.78, Lat: 45.80), Zoom);
        var se = WebMercator.TileAt(new LonLat(Lon: 4.99, Lat: 45.72), Zoom);
        for (var row = nw.Row; row <= se.Row; row++)
        {
            for (var col = nw.Col; col <= se.Col; col++)
            {
                yield return new TileIndex(Zoom: Zoom, Col: col, Row: row);
            }
        }
    }

    private static Coordinate Centre(TileIndex tile)
    {
        var centre = RandomTileSampler.TileCentre(tile);
        return new Coordinate(centre.Lon, centre.Lat);
    }

    /// <summary>Share of a tile inside the boxes, in web-mercator metres (the boxes are rectangles there too).</summary>
    private static double Share(TileIndex tile)
    {
        var bounds = WebMercator.TileBounds(tile);
        var square = new Envelope(bounds.MinX, bounds.MaxX, bounds.MinY, bounds.MaxY);
        var inside = 0.0;
        foreach (var box in s_boxes)
        {
            var projected = new Envelope(X(box.MinX), X(box.MaxX), Y(box.MinY), Y(box.MaxY));
            inside += square.Intersection(projected).Area;
        }

        return inside / square.Area;
    }

    private static double X(double lon) => lon * Math.PI / 180 * WebMercator.EarthRadius;

    private static double Y(double lat) => WebMercator.EarthRadius * Math.Log(Math.Tan((Math.PI / 4) + (lat * Math.PI / 360)));

    /// <summary>Distance in metres between a tile and a lon/lat box, in a local equirectangular projection.</summary>
    private static double DistanceMetres(TileIndex tile, Envelope box)
    {
        const double metresPerDegree = 6371008.8 * Math.PI / 180;
        var nw = WebMercator.TileNorthWest(tile);
        var se = WebMercator.TileNorthWest(tile with { Col = tile.Col + 1, Row = tile.Row + 1 });
        var cos = Math.Cos(45.76 * Math.PI / 180);
        var dx = Math.Max(0, Math.Max(box.MinX - se.Lon, nw.Lon - box.MaxX)) * metresPerDegree * cos;
        var dy = Math.Max(0, Math.Max(box.MinY - nw.Lat, se.Lat - box.MaxY)) * metresPerDegree;
        return Math.Sqrt((dx * dx) + (dy * dy));
    }
}
