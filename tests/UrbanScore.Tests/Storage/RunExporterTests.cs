using System.Text.Json;
using UrbanScore.Storage;
using UrbanScore.Tests.Rendering;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Storage;

public sealed class RunExporterTests : IDisposable
{
    private readonly string _out = ProductRun.NewFolder();

    // z10 cols 512..513, rows 300..301: scored, empty / failed, scored.
    private static readonly float[,] s_scores =
    {
        { 0.25f, float.NaN },
        { -1f, 0.75f },
    };

    public void Dispose() => ProductRun.Delete(_out);

    [Fact]
    public async Task Export_GeoJson_OnePolygonPerTileInLonLatWithEveryProperty()
    {
        ProductRun.HandStore(_out, 512, 300, s_scores, minZoom: null);
        var file = Path.Combine(_out, "tiles.geojson");

        var (exit, stdout, stderr) = await CliRun.RunAsync("export", "--out", _out, "--format", "geojson", "--file", file);

        Assert.True(exit == 0, stderr);
        Assert.Contains(file, stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal("FeatureCollection", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(4, features.Count);

        var first = features[0];
        var properties = first.GetProperty("properties");
        Assert.Equal(10, properties.GetProperty("z").GetInt32());
        Assert.Equal(512, properties.GetProperty("x").GetInt32());
        Assert.Equal(300, properties.GetProperty("y").GetInt32());
        Assert.Equal("scored", properties.GetProperty("status").GetString());
        Assert.Equal(0.25, properties.GetProperty("score").GetDouble(), 6);
        Assert.Equal(0.25, properties.GetProperty("p_city").GetDouble(), 6);
        Assert.Equal(0.75, properties.GetProperty("p_not_city").GetDouble(), 6);

        var ring = first.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble())).ToList();
        var nw = WebMercator.TileNorthWest(new TileIndex(Zoom: 10, Col: 512, Row: 300));
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: 10, Col: 513, Row: 301));
        Assert.Equal(5, ring.Count);
        Assert.Equal(ring[0], ring[4]);
        Assert.Equal((nw.Lon, se.Lat), (Math.Round(ring[0].Lon, 6), Math.Round(ring[0].Lat, 6)), new LonLatComparer());
        Assert.Equal((se.Lon, nw.Lat), ring[2], new LonLatComparer());

        var empty = features[1].GetProperty("properties");
        Assert.Equal("empty", empty.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("score").ValueKind);
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("p_city").ValueKind);
        Assert.Equal("test", empty.GetProperty("reason").GetString());
        Assert.Equal("failed", features[2].GetProperty("properties").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Export_Csv_DefaultFileInOutputFolder()
    {
        ProductRun.HandStore(_out, 512, 300, s_scores, minZoom: null);

        var (exit, _, stderr) = await CliRun.RunAsync("export", "--out", _out, "--format", "csv");

        Assert.True(exit == 0, stderr);
        var lines = File.ReadAllLines(Path.Combine(_out, "scores.csv"));
        Assert.Equal("z,x,y,status,score,p_city,p_not_city,attempts,reason", lines[0]);
        Assert.Equal("10,512,300,scored,0.25,0.25,0.75,1,", lines[1]);
        Assert.Equal("10,513,300,empty,,,,1,test", lines[2]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public async Task Export_UnknownFormat_ExitTwo()
    {
        ProductRun.HandStore(_out, 512, 300, s_scores, minZoom: null);

        var (exit, _, stderr) = await CliRun.RunAsync("export", "--out", _out, "--format", "shp");

        Assert.Equal(2, exit);
        Assert.Contains("Unknown export format 'shp'; use csv, geojson or gpkg.", stderr, StringComparison.Ordinal);
    }

    private sealed class LonLatComparer : IEqualityComparer<(double Lon, double Lat)>
    {
        public bool Equals((double Lon, double Lat) x, (double Lon, double Lat) y) => Math.Abs(x.Lon - y.Lon) < 1e-6 && Math.Abs(x.Lat - y.Lat) < 1e-6;

        public int GetHashCode((double Lon, double Lat) obj) => 0;
    }
}
