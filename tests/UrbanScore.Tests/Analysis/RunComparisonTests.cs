using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SkiaSharp;
using UrbanScore.Analysis;
using UrbanScore.Runs;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Analysis;

public sealed class RunComparisonTests : IDisposable
{
    private const int Zoom = 14;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "urbanscore-compare-" + Guid.NewGuid().ToString("N"));
    private readonly TileIndex _origin = WebMercator.TileAt(new LonLat(Lon: 7.0, Lat: 51.5), Zoom);

    private TileRange Extent => new(Zoom: Zoom, MinCol: _origin.Col, MinRow: _origin.Row, MaxCol: _origin.Col + 2, MaxRow: _origin.Row);

    [Fact]
    public void Compare_GrowthAndLoss_GainedLostAndUrbanAreasOverTilesScoredInBoth()
    {
        // Tile 0: 0.2 → 0.9 (gained); tile 1: 0.8 → 0.1 (lost); tile 2: 0.7 → empty (not compared).
        var (before, after) = WriteRuns([0.2f, 0.8f, 0.7f], [0.9f, 0.1f, float.NaN]);
        var output = Path.Combine(_root, "change");

        var report = RunComparison.Compare(before, after, new ComparisonOptions { OutputFolder = output }, TestContext.Current.CancellationToken);

        var t = report.Total;
        Assert.Equal(2L, t.Tiles);
        Assert.Equal(Area(0) / 1e6, t.GainedUrbanKm2, 1e-9);
        Assert.Equal(Area(1) / 1e6, t.LostUrbanKm2, 1e-9);
        Assert.Equal(Area(1) / 1e6, t.UrbanKm2Before, 1e-9);
        Assert.Equal(Area(0) / 1e6, t.UrbanKm2After, 1e-9);
        foreach (var file in new[] { "change.tif", "change.json", "heatmap.mbtiles", "index.html", "viewer/leaflet.js" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file + " missing");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "change.json")));
        Assert.Equal(["tiles", "urbanKm2Before", "urbanKm2After", "gainedUrbanKm2", "lostUrbanKm2"], json.RootElement.GetProperty("total").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Compare_ChangeTiles_GainedRedLostBlueUnchangedTransparentNoneWhereMissing()
    {
        var (before, after) = WriteRuns([0.2f, 0.8f, 0.5f, 0.3f], [0.9f, 0.1f, 0.5f, float.NaN], width: 4);
        var output = Path.Combine(_root, "change");

        RunComparison.Compare(before, after, new ComparisonOptions { OutputFolder = output }, TestContext.Current.CancellationToken);

        var gained = Pixel(output, 0);
        var lost = Pixel(output, 1);
        var unchanged = Pixel(output, 2);
        Assert.True(gained.Red > 200 && gained.Blue < 60, $"gained {gained}");
        Assert.Equal(Math.Round(255 * 0.7), gained.Alpha, 1.0);
        Assert.True(lost.Blue > 150 && lost.Red < 60, $"lost {lost}");
        Assert.Equal(Math.Round(255 * 0.7), lost.Alpha, 1.0);
        Assert.Equal(0, unchanged.Alpha);
        Assert.False(File.Exists(TilePath(output, 3)));
        Assert.True(File.Exists(Path.Combine(output, "before", "heatmap", Zoom.ToString(CultureInfo.InvariantCulture), _origin.Col.ToString(CultureInfo.InvariantCulture), _origin.Row + ".png")));
        using var connection = new SqliteConnection($"Data Source={Path.Combine(output, "heatmap.mbtiles")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM tiles WHERE zoom_level = " + Zoom.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(3L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public void Compare_ChangeTif_AfterMinusBeforeWithNodataWhereEitherIsMissing()
    {
        var gdal = ExternalTool.Require("gdallocationinfo", "gdal-bin");
        var (before, after) = WriteRuns([0.25f, 0.75f, float.NaN], [0.75f, 0.5f, 0.5f]);
        var output = Path.Combine(_root, "change");

        RunComparison.Compare(before, after, new ComparisonOptions { OutputFolder = output }, TestContext.Current.CancellationToken);

        var tif = Path.Combine(output, "change.tif");
        Assert.Equal(0.5, Value(gdal, tif, 0), 1e-6);
        Assert.Equal(-0.25, Value(gdal, tif, 1), 1e-6);
        Assert.Equal(-9999, Value(gdal, tif, 2), 1e-6);
    }

    [Fact]
    public async Task Compare_DifferentModels_ExitCode2NamingTheProblem()
    {
        var before = Path.Combine(_root, "before");
        var after = Path.Combine(_root, "after");
        AnalysisRun.Write(before, TileMatrixSet.WebMercatorQuad(), Extent, [(At(0), 0.5f)], modelSha256: "aaaa");
        AnalysisRun.Write(after, TileMatrixSet.WebMercatorQuad(), Extent, [(At(0), 0.5f)], modelSha256: "bbbb");

        var (code, _, stderr) = await CliRun.RunAsync("compare", before, after, "--out", Path.Combine(_root, "c"));

        Assert.Equal(2, code);
        Assert.Contains("different models", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_DifferentZoom_ExitCode2NamingTheProblem()
    {
        var before = Path.Combine(_root, "before");
        var after = Path.Combine(_root, "after");
        AnalysisRun.Write(before, TileMatrixSet.WebMercatorQuad(), Extent, [(At(0), 0.5f)]);
        var coarse = new TileIndex(Zoom: Zoom - 1, Col: _origin.Col / 2, Row: _origin.Row / 2);
        AnalysisRun.Write(after, TileMatrixSet.WebMercatorQuad(), new TileRange(Zoom: Zoom - 1, MinCol: coarse.Col, MinRow: coarse.Row, MaxCol: coarse.Col, MaxRow: coarse.Row), [(coarse, 0.5f)]);

        var (code, _, stderr) = await CliRun.RunAsync("compare", before, after, "--out", Path.Combine(_root, "c"));

        Assert.Equal(2, code);
        Assert.Contains("different grids", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_JsonWithRegions_TotalAndPerRegion()
    {
        var (before, after) = WriteRuns([0.2f, 0.8f, 0.7f], [0.9f, 0.1f, 0.9f]);
        var regions = Path.Combine(_root, "r.geojson");
        File.WriteAllText(regions, """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"everything"},"geometry":{"type":"Polygon","coordinates":[[[0,40],[30,40],[30,60],[0,60],[0,40]]]}}]}""");

        var (code, stdout, stderr) = await CliRun.RunAsync("compare", before, after, "--out", Path.Combine(_root, "c"), "--by", regions, "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var region = Assert.Single(json.RootElement.GetProperty("regions").EnumerateArray().ToList());
        Assert.Equal("everything", region.GetProperty("name").GetString());
        Assert.Equal(json.RootElement.GetProperty("total").GetProperty("gainedUrbanKm2").GetDouble(), region.GetProperty("gainedUrbanKm2").GetDouble(), 1e-9);
        Assert.Equal((Area(0) + 0) / 1e6, region.GetProperty("gainedUrbanKm2").GetDouble(), 1e-6);
    }

    private TileIndex At(int dx) => new(Zoom: Zoom, Col: _origin.Col + dx, Row: _origin.Row);

    private double Area(int dx) => AnalysisRun.NumericalTileArea(At(dx));

    private (string Before, string After) WriteRuns(float[] before, float[] after, int width = 3)
    {
        var extent = new TileRange(Zoom: Zoom, MinCol: _origin.Col, MinRow: _origin.Row, MaxCol: _origin.Col + width - 1, MaxRow: _origin.Row);
        var b = Path.Combine(_root, "before");
        var a = Path.Combine(_root, "after");
        AnalysisRun.Write(b, TileMatrixSet.WebMercatorQuad(), extent, before.Select((s, i) => (At(i), s)));
        AnalysisRun.Write(a, TileMatrixSet.WebMercatorQuad(), extent, after.Select((s, i) => (At(i), s)));
        return (b, a);
    }

    private string TilePath(string output, int dx) =>
        Path.Combine(output, "heatmap", Zoom.ToString(CultureInfo.InvariantCulture), (_origin.Col + dx).ToString(CultureInfo.InvariantCulture), _origin.Row.ToString(CultureInfo.InvariantCulture) + ".png");

    private SKColor Pixel(string output, int dx)
    {
        using var bitmap = SKBitmap.Decode(TilePath(output, dx));
        return bitmap.GetPixel(128, 128);
    }

    private static double Value(string gdal, string tif, int pixel)
    {
        var (code, stdout, stderr) = ExternalTool.Run(gdal, ["-valonly", tif, pixel.ToString(CultureInfo.InvariantCulture), "0"]);
        Assert.True(code == 0, stderr);
        return double.Parse(stdout.Trim(), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
