using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;
using UrbanScore.Analysis;
using UrbanScore.Geo;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tests.DemoWorld;

public sealed class DemoWorldOutlinesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("urbanscore-outlines-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Rings_RandomMasks_EqualTheUnionOfTheSetPixelsAndValid()
    {
        var factory = new GeometryFactory();
        var random = new Random(11);
        for (var round = 0; round < 40; round++)
        {
            const int width = 13, height = 11;
            var density = random.NextDouble();
            var mask = new bool[height, width];
            var tracer = new PixelOutlineTracer(width, height);
            var squares = new List<Geometry>();
            for (var y = 0; y < height; y++)
            {
                var row = new bool[width];
                for (var x = 0; x < width; x++)
                {
                    row[x] = mask[y, x] = random.NextDouble() < density;
                    if (row[x])
                    {
                        squares.Add(factory.ToGeometry(new Envelope(x, x + 1, y, y + 1)));
                    }
                }

                tracer.AddRow(row);
            }

            var polygons = DemoWorldOutlines.Assemble(tracer.Rings());
            var traced = factory.CreateMultiPolygon([.. polygons.Select(p => factory.CreatePolygon(
                factory.CreateLinearRing([.. p[0].Select(c => new Coordinate(c.X, c.Y))]),
                [.. p.Skip(1).Select(h => factory.CreateLinearRing([.. h.Select(c => new Coordinate(c.X, c.Y))]))]))]);

            Assert.True(traced.IsValid, $"round {round}: {new NetTopologySuite.Operation.Valid.IsValidOp(traced).ValidationError}");
            var union = squares.Count == 0 ? factory.CreatePolygon() : UnaryUnionOp.Union(squares);
            Assert.Equal(squares.Count, traced.Area, 9);
            Assert.Equal(0, traced.SymmetricDifference(union).Area, 9);
        }
    }

    [Fact]
    public void Write_AreaAroundLyon_EachTileShareIsItsUrbanFraction()
    {
        var world = DemoWorldRenderer.Default;
        var box = new BoundingBox(MinX: 4.70, MinY: 45.62, MaxX: 5.05, MaxY: 45.90);
        const int zoom = 11;
        var path = Path.Combine(_folder, "lyon.geojson");

        var (polygons, pixels) = DemoWorldOutlines.Write(world, box, zoom, path, TestContext.Current.CancellationToken);

        var warnings = new List<string>();
        var outlines = PolygonArea.FromGeoJson(path, warnings.Add);
        Assert.Empty(warnings); // valid as written, no repair
        Assert.True(polygons > 0);
        var range = TileCover.ForBoundingBox(box, TileMatrixSet.WebMercatorQuad(), zoom)[0];
        var share = new OutlineShare(outlines.Geometry, TileMatrixSet.WebMercatorQuad(), zoom);
        double total = 0;
        for (var row = range.MinRow; row <= range.MaxRow; row++)
        {
            for (var col = range.MinCol; col <= range.MaxCol; col++)
            {
                var tile = new TileIndex(Zoom: zoom, Col: col, Row: row);
                var fraction = world.UrbanFraction(tile);
                total += fraction;
                Assert.Equal(fraction, share.Share(tile), 6);
            }
        }

        Assert.Equal(pixels, total * 256 * 256, 3);
        Assert.InRange(total, 0.5, range.Count - 0.5); // Lyon is there, and so is countryside
    }

    [Fact]
    public async Task DemoWorldOutlinesCommand_TwoYears_EarlierCoversLessAndEachMatchesItsYear()
    {
        var box = new BoundingBox(MinX: 4.70, MinY: 45.62, MaxX: 5.05, MaxY: 45.90);
        const int zoom = 11;
        var range = TileCover.ForBoundingBox(box, TileMatrixSet.WebMercatorQuad(), zoom)[0];
        var urbanTiles = new Dictionary<int, double>();
        foreach (var year in new[] { 2010, 2025 })
        {
            var path = Path.Combine(_folder, $"lyon-{year}.geojson");
            var (exit, stdout, stderr) = await TestSupport.CliRun.RunAsync(
                "demo-world", "outlines", "--bbox", "4.70,45.62,5.05,45.90", "--zoom", "11", "--year", $"{year}", "--out", path);
            Assert.True(exit == 0, stderr);
            Assert.Contains($"in {year}", stdout, StringComparison.Ordinal);
            using (var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path)))
            {
                Assert.Equal(year, document.RootElement.GetProperty("features")[0].GetProperty("properties").GetProperty("year").GetInt32());
            }

            // The outlines of a year are that year's rendered truth, tile by tile.
            var world = DemoWorldRenderer.ForYear(year);
            var share = new OutlineShare(PolygonArea.FromGeoJson(path, _ => { }).Geometry, TileMatrixSet.WebMercatorQuad(), zoom);
            double total = 0;
            for (var row = range.MinRow; row <= range.MaxRow; row++)
            {
                for (var col = range.MinCol; col <= range.MaxCol; col++)
                {
                    var tile = new TileIndex(Zoom: zoom, Col: col, Row: row);
                    var inside = share.Share(tile);
                    Assert.Equal(world.UrbanFraction(tile), inside, 6);
                    total += inside;
                }
            }

            urbanTiles[year] = total;
        }

        // Towns grow: fifteen years earlier Lyon covers clearly less (every city grows 1-3 % of radius a year).
        Assert.InRange(urbanTiles[2010], 0.5, urbanTiles[2025] * 0.95);
    }

    [Theory]
    [InlineData("1999")]
    [InlineData("2031")]
    [InlineData("2026")]
    public async Task DemoWorldOutlinesCommand_YearNotServed_ExitTwoNamingTheYears(string year)
    {
        var path = Path.Combine(_folder, "y.geojson");
        var (exit, _, stderr) = await TestSupport.CliRun.RunAsync("demo-world", "outlines", "--bbox", "4.70,45.62,5.05,45.90", "--zoom", "11", "--year", year, "--out", path);

        Assert.Equal(2, exit);
        Assert.Contains($"--year {year}", stderr, StringComparison.Ordinal);
        Assert.Contains($"{DemoWorldRenderer.ServedYears[0]}..{DemoWorldRenderer.ServedYears[^1]}", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task DemoWorldOutlinesCommand_TooManyTiles_ExitTwo()
    {
        var (exit, _, stderr) = await TestSupport.CliRun.RunAsync("demo-world", "outlines", "--bbox", "0,40,20,55", "--zoom", "12", "--out", Path.Combine(_folder, "x.geojson"));

        Assert.Equal(2, exit);
        Assert.Contains("lower --zoom", stderr, StringComparison.Ordinal);
    }
}
