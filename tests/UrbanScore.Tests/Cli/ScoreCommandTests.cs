using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Cli;

public sealed class ScoreCommandTests : IDisposable
{
    // UC Merced classes the real-imagery model was trained on (../shared/fixtures/README.md).
    private static readonly string[] s_urban = ["buildings", "denseresidential", "mediumresidential", "sparseresidential", "mobilehomepark", "parkinglot", "intersection", "overpass", "tenniscourt", "storagetanks"];
    private static readonly string[] s_natural = ["agricultural", "forest", "chaparral", "beach", "river", "golfcourse"];
    private const int Zoom = 18;
    private const int FirstCol = 148000;
    private const int FirstRow = 98000;
    private const int GridCols = 10;
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-cli-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Score_UcMercedTilesAsXyz_SeparatesUrbanFromNaturalAndWritesGeoreferencedOutputs()
    {
        var imagery = SharedFixtures.Require("fixtures/imagery/ucmerced");
        var model = SharedFixtures.Require("fixtures/models/sqz_city_cv.onnx");
        var images = s_urban.Concat(s_natural)
            .SelectMany(c => Directory.GetFiles(Path.Combine(imagery, c), "*.jpg").Order(StringComparer.Ordinal).Select(f => (Class: c, File: f)))
            .ToArray();
        var gridRows = (images.Length + GridCols - 1) / GridCols;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var parts = context.Request.Path.Value!.Trim('/').Split('/');
            var index = ((int.Parse(parts[2].Split('.')[0], CultureInfo.InvariantCulture) - FirstRow) * GridCols) + int.Parse(parts[1], CultureInfo.InvariantCulture) - FirstCol;
            if (index < 0 || index >= images.Length)
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.ContentType = "image/jpeg";
            await context.Response.SendFileAsync(images[index].File);
        });
        var nw = WebMercator.TileNorthWest(new TileIndex(Zoom: Zoom, Col: FirstCol, Row: FirstRow));
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: Zoom, Col: FirstCol + GridCols, Row: FirstRow + gridRows));
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{nw.Lon + 1e-7},{se.Lat + 1e-7},{se.Lon - 1e-7},{nw.Lat - 1e-7}");

        var (code, stdout, stderr) = await CliRun.RunAsync("score", "--xyz", server.BaseUri + "{z}/{x}/{y}.jpg", "--zoom", "18", "--bbox", bbox, "--model", model, "--out", _out);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        var scores = File.ReadLines(Path.Combine(_out, "scores.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Where(f => f[3] == "scored")
            .ToDictionary(f => ((int.Parse(f[2], CultureInfo.InvariantCulture) - FirstRow) * GridCols) + int.Parse(f[1], CultureInfo.InvariantCulture) - FirstCol, f => double.Parse(f[4], CultureInfo.InvariantCulture));
        Assert.Equal(images.Length, scores.Count);
        var correct = images.Select((image, i) => s_urban.Contains(image.Class) == (scores[i] > 0.5)).Count(ok => ok);
        Assert.True(correct >= 0.95 * images.Length, $"{correct}/{images.Length} correct");

        // GDAL reads both GeoTIFFs in EPSG:3857 with corners equal to the union of the tile bounds (to 1e-6 m).
        var gdalinfo = ExternalTool.Require("gdalinfo", "gdal-bin");
        var expectedWest = WebMercator.TileBounds(new TileIndex(Zoom: Zoom, Col: FirstCol, Row: FirstRow));
        var expectedEast = WebMercator.TileBounds(new TileIndex(Zoom: Zoom, Col: FirstCol + GridCols - 1, Row: FirstRow + gridRows - 1));
        foreach (var file in new[] { "heatmap.tif", "scores.tif" })
        {
            var (gdalCode, json, gdalError) = ExternalTool.Run(gdalinfo, ["-json", Path.Combine(_out, file)]);
            Assert.True(gdalCode == 0, gdalError);
            using var info = JsonDocument.Parse(json);
            var wkt = info.RootElement.GetProperty("coordinateSystem").GetProperty("wkt").GetString()!;
            Assert.Contains("ID[\"EPSG\",3857]", wkt, StringComparison.Ordinal);
            var geo = info.RootElement.GetProperty("geoTransform").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var size = info.RootElement.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(expectedWest.MinX, geo[0], 1e-6);
            Assert.Equal(expectedWest.MaxY, geo[3], 1e-6);
            Assert.Equal(expectedEast.MaxX, geo[0] + (size[0] * geo[1]), 1e-6);
            Assert.Equal(expectedEast.MinY, geo[3] + (size[1] * geo[5]), 1e-6);
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "run.json")));
        Assert.Equal(images.Length, manifest.RootElement.GetProperty("tiles").GetProperty("scored").GetInt32());
        Assert.True(File.Exists(Path.Combine(_out, "heatmap", "18", $"{FirstCol}", $"{FirstRow}.png")));
    }

    [Theory]
    [InlineData("--bbox", "25.1,60.3,24.8,60.1", "minLat")]
    [InlineData("--bbox", "24.8,60.1,25.1", "four numbers")]
    [InlineData("--zoom", "30", "--zoom: Zoom 30 is outside 0..24")]
    [InlineData("--model", "/nonexistent/model.onnx", "--model: The model file /nonexistent/model.onnx does not exist")]
    public async Task Score_BadArgument_ExitsTwoWithOneClearLine(string option, string value, string expected)
    {
        var args = new Dictionary<string, string>
        {
            ["--xyz"] = "http://127.0.0.1:9/{z}/{x}/{y}.png",
            ["--zoom"] = "15",
            ["--bbox"] = "24.8,60.1,25.1,60.3",
            ["--model"] = typeof(ScoreCommandTests).Assembly.Location,
            ["--out"] = _out,
        };
        args[option] = value;

        var (code, stdout, stderr) = await CliRun.RunAsync(["score", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_ModelThatIsNotOnnx_ExitsTwoNamingTheFile()
    {
        var notOnnx = Path.Combine(Path.GetTempPath(), "not-a-model-" + Guid.NewGuid().ToString("N") + ".onnx");
        await File.WriteAllTextAsync(notOnnx, "this is a text file, not a model", TestContext.Current.CancellationToken);
        try
        {
            var (code, _, stderr) = await CliRun.RunAsync("score", "--xyz", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--zoom", "15", "--bbox", "24.8,60.1,25.1,60.3", "--model", notOnnx, "--out", _out);

            Assert.Equal(2, code);
            Assert.Contains(Path.GetFileName(notOnnx), stderr, StringComparison.Ordinal);
            Assert.Single(stderr.Trim().Split('\n'));
        }
        finally
        {
            File.Delete(notOnnx);
        }
    }

    [Fact]
    public async Task Score_MissingRequiredOption_ExitsTwo()
    {
        var (code, _, stderr) = await CliRun.RunAsync("score", "--zoom", "15");

        Assert.Equal(2, code);
        Assert.Contains("is required", stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
