using System.Globalization;
using System.Text.Json;
using UrbanScore.Analysis;
using UrbanScore.Runs;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Analysis;

public sealed class UrbanStatisticsTests : IDisposable
{
    private const int Zoom = 14;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "urbanscore-stats-" + Guid.NewGuid().ToString("N"));
    private readonly TileIndex _origin = WebMercator.TileAt(new LonLat(Lon: 7.0, Lat: 51.5), Zoom);

    /// <summary>3 columns × 2 rows: P 0.9, 0.2, 0.6 / empty, failed, 0.5.</summary>
    private (TileIndex Tile, float Score)[] Tiles =>
    [
        (At(0, 0), 0.9f), (At(1, 0), 0.2f), (At(2, 0), 0.6f),
        (At(0, 1), float.NaN), (At(1, 1), -1f), (At(2, 1), 0.5f),
    ];

    private TileRange Extent => new(Zoom: Zoom, MinCol: _origin.Col, MinRow: _origin.Row, MaxCol: _origin.Col + 2, MaxRow: _origin.Row + 1);

    [Fact]
    public void Compute_NoRegions_CountsAndEllipsoidalAreasOfTheWholeRun()
    {
        var run = WriteRun("run");

        var report = RunStatistics.Compute(run, null, cancellationToken: TestContext.Current.CancellationToken);

        var t = report.Total;
        Assert.Empty(report.Regions);
        Assert.Equal((6L, 4L, 3L), (t.Tiles, t.Scored, t.UrbanTiles));
        var urban = Area(0, 0) + Area(2, 0) + Area(2, 1);
        Assert.Equal(urban / 1e6, t.UrbanKm2, 1e-9);
        var expected = (0.9 * Area(0, 0)) + (0.2 * Area(1, 0)) + (0.6 * Area(2, 0)) + (0.5 * Area(2, 1));
        Assert.Equal(expected / 1e6, t.ExpectedUrbanKm2, 1e-6);
        Assert.Equal(expected / (Area(0, 0) + Area(1, 0) + Area(2, 0) + Area(2, 1)), t.MeanScore!.Value, 1e-6);
    }

    [Fact]
    public void Compute_RegionCutsAColumnInHalf_CountsTheTilesAndProRatesTheirArea()
    {
        // A region from far west to the middle longitude of column 1: column 0 whole, column 1 half, column 2 out.
        var run = WriteRun("run");
        var nw = WebMercator.TileNorthWest(At(0, 0));
        var mid = (WebMercator.TileNorthWest(At(1, 0)).Lon + WebMercator.TileNorthWest(At(2, 0)).Lon) / 2;
        var regions = RegionFile("west", nw.Lon - 1, 50, mid, 53);

        var report = RunStatistics.Compute(run, RegionSet.FromGeoJson(regions), cancellationToken: TestContext.Current.CancellationToken);

        var west = Assert.Single(report.Regions);
        Assert.Equal("west", west.Name);
        Assert.Equal((4L, 2L, 1L), (west.Tiles, west.Scored, west.UrbanTiles)); // (0,0) 0.9, (1,0) 0.2, (0,1) empty, (1,1) failed
        Assert.Equal(Area(0, 0) / 1e6, west.UrbanKm2, 1e-9);
        Assert.Equal(((0.9 * Area(0, 0)) + (0.2 * Area(1, 0) / 2)) / 1e6, west.ExpectedUrbanKm2, 1e-6);
    }

    [Fact]
    public void Compute_ThresholdRaised_FewerUrbanTiles()
    {
        var run = WriteRun("run");

        var report = RunStatistics.Compute(run, null, threshold: 0.8, TestContext.Current.CancellationToken);

        Assert.Equal(1L, report.Total.UrbanTiles);
        Assert.Equal(Area(0, 0) / 1e6, report.Total.UrbanKm2, 1e-9);
    }

    [Fact]
    public async Task Stats_JsonWithRegions_HasExactlyTheDocumentedKeys()
    {
        var run = WriteRun("run");
        var regions = RegionFile("a", 0, 40, 30, 60, nameProperty: "gemeente");
        var csv = Path.Combine(_root, "stats.csv");

        var (code, stdout, stderr) = await CliRun.RunAsync("stats", run, "--by", regions, "--name-field", "gemeente", "--json", "--csv", csv);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(["threshold", "regions", "total"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.5, root.GetProperty("threshold").GetDouble());
        var region = Assert.Single(root.GetProperty("regions").EnumerateArray().ToList());
        Assert.Equal(["name", "tiles", "scored", "urbanTiles", "urbanKm2", "expectedUrbanKm2", "meanScore"], region.EnumerateObject().Select(p => p.Name));
        Assert.Equal("a", region.GetProperty("name").GetString());
        Assert.Equal(["tiles", "scored", "urbanTiles", "urbanKm2", "expectedUrbanKm2", "meanScore"], root.GetProperty("total").EnumerateObject().Select(p => p.Name));
        Assert.Equal(6, root.GetProperty("total").GetProperty("tiles").GetInt64());
        var lines = File.ReadAllLines(csv);
        Assert.Equal("name,tiles,scored,urbanTiles,urbanKm2,expectedUrbanKm2,meanScore", lines[0]);
        Assert.StartsWith("a,6,4,3,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("total,6,4,3,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_ByCountry_TilesInGermanyCountThere()
    {
        var run = WriteRun("run");

        var (code, stdout, stderr) = await CliRun.RunAsync("stats", run, "--by-country", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var germany = json.RootElement.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Germany");
        Assert.Equal(6, germany.GetProperty("tiles").GetInt64());
        Assert.Equal(json.RootElement.GetProperty("total").GetProperty("urbanKm2").GetDouble(), germany.GetProperty("urbanKm2").GetDouble(), 1e-6);
    }

    [Theory]
    [InlineData("--threshold", "1.5")]
    [InlineData("--name-field", "x")]
    public async Task Stats_BadOption_ExitCode2WithOneSentence(string option, string value)
    {
        var run = WriteRun("run");

        var (code, _, stderr) = await CliRun.RunAsync("stats", run, option, value);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Stats_FolderWithoutRun_ExitCode2()
    {
        var (code, _, stderr) = await CliRun.RunAsync("stats", Path.Combine(_root, "nothing"));

        Assert.Equal(2, code);
        Assert.Contains("scores.sqlite", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void FromGeoJson_FeatureWithoutTheNameField_Refused()
    {
        var file = RegionFile("a", 0, 40, 30, 60);

        var error = Assert.Throws<UrbanScoreException>(() => RegionSet.FromGeoJson(file, "kommune"));

        Assert.Contains("kommune", error.Message, StringComparison.Ordinal);
    }

    private TileIndex At(int dx, int dy) => new(Zoom: Zoom, Col: _origin.Col + dx, Row: _origin.Row + dy);

    private double Area(int dx, int dy) => AnalysisRun.NumericalTileArea(At(dx, dy));

    private string WriteRun(string name)
    {
        var folder = Path.Combine(_root, name);
        AnalysisRun.Write(folder, TileMatrixSet.WebMercatorQuad(), Extent, Tiles);
        return folder;
    }

    private string RegionFile(string name, double west, double south, double east, double north, string nameProperty = "name")
    {
        Directory.CreateDirectory(_root);
        var path = Path.Combine(_root, name + ".geojson");
        var ring = string.Create(CultureInfo.InvariantCulture, $"[[{west},{south}],[{east},{south}],[{east},{north}],[{west},{north}],[{west},{south}]]");
        File.WriteAllText(path, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"" + nameProperty + "\":\"" + name + "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" + ring + "]}}]}");
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
