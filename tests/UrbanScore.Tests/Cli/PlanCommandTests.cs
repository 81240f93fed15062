using System.Globalization;
using System.Text.Json;
using UrbanScore.Geo;
using UrbanScore.Tests.Reliability;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Cli;

/// <summary><c>plan</c>: ground km² for every area kind, the chosen matrix, a measured rate, the antimeridian warning.</summary>
public sealed class PlanCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "urbanscore-plan-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void SquareKilometres_OneDegreeAtTheEquator_IsTheEllipsoidsArea()
    {
        // The 1°×1° cell north of (0°, 0°) on WGS 84 is 12,308.8 km² (a mean-radius sphere says 12,364).
        var km2 = new BoxArea(new BoundingBox(MinX: 0, MinY: 0, MaxX: 1, MaxY: 1)).SquareKilometres;

        Assert.InRange(km2, 12_305, 12_312);
    }

    [Fact]
    public void SquareKilometres_TileListAndItsBox_Agree()
    {
        var tile = new TileIndex(Zoom: 10, Col: 580, Row: 290);
        var nw = WebMercator.TileNorthWest(tile);
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: 10, Col: 581, Row: 291));
        var box = new BoxArea(new BoundingBox(MinX: nw.Lon, MinY: se.Lat, MaxX: se.Lon, MaxY: nw.Lat));
        var list = new TileListArea([tile], "one tile");

        Assert.Equal(box.SquareKilometres, list.SquareKilometres, 6);
        Assert.True(box.SquareKilometres > 100, box.SquareKilometres.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Plan_BboxAndTileList_PrintKm2AndTheMatrix()
    {
        Directory.CreateDirectory(_folder);
        var csv = Path.Combine(_folder, "tiles.csv");
        await File.WriteAllTextAsync(csv, "z,x,y\n14,9300,4700\n14,9301,4700\n", TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await CliRun.RunAsync("plan", "--bbox", "24.8,60.1,25.1,60.3", "--zoom", "14", "--tiles-per-second", "100");
        var (listCode, listOut, listErr) = await CliRun.RunAsync("plan", "--tiles", csv, "--zoom", "14", "--json", "--tiles-per-second", "100");

        Assert.True(code == 0, stderr);
        Assert.Contains("km² (ground area on the WGS 84 ellipsoid)", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("n/a", stdout, StringComparison.Ordinal);
        Assert.Contains("matrix '14'", stdout, StringComparison.Ordinal);
        Assert.Contains("9.55 m/px", stdout, StringComparison.Ordinal);
        Assert.Contains("the rate given with --tiles-per-second", stdout, StringComparison.Ordinal);
        Assert.True(listCode == 0, listErr);
        var km2 = JsonDocument.Parse(listOut).RootElement.GetProperty("squareKilometres").GetDouble();
        // Two z14 tiles at 60°N: 2,446 m web-mercator sides, cos 60° = 0.5 on the ground, so about 1.5 km² each.
        Assert.InRange(km2, 2.8, 3.2);
    }

    [Fact]
    public async Task Plan_Model_CalibratesAndSaysSo()
    {
        var (code, stdout, stderr) = await CliRun.RunAsync("plan", "--bbox", "24.8,60.1,25.1,60.3", "--zoom", "12", "--model", TileGrid.Model());

        Assert.True(code == 0, stderr);
        Assert.Contains("calibrated just now on model.onnx", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_BboxCrossingTheAntimeridianOverHalfTheWorld_Warns()
    {
        var (code, stdout, stderr) = await CliRun.RunAsync("plan", "--bbox", "25,60,24,61", "--zoom", "6", "--tiles-per-second", "100");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("crosses the antimeridian and spans 359° of longitude", stderr, StringComparison.Ordinal);
        Assert.Contains("--bbox 24,60,25,61", stderr, StringComparison.Ordinal);

        var (_, _, narrow) = await CliRun.RunAsync("plan", "--bbox", "179,60,-179,61", "--zoom", "6", "--tiles-per-second", "100");
        Assert.DoesNotContain("antimeridian", narrow, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
