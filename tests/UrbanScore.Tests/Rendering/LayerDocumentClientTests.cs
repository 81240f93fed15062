using System.Globalization;
using System.Net;
using System.Text.Json;
using SkiaSharp;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;
using UrbanScore.Tools.Hosting;

namespace UrbanScore.Tests.Rendering;

/// <summary>
/// tilejson.json and heatmap-wmts.xml in real clients: opened from disk with no server (file:// URLs of the folder),
/// served (URLs re-pointed to the server), and after the folder moved (re-pointed by <c>urbanscore render</c>).
/// </summary>
public sealed class LayerDocumentClientTests : IDisposable
{
    private static readonly TileRange s_range = TileCover.ForBoundingBox(ProductRun.Area, TileMatrixSet.WebMercatorQuad(), 12).Single();
    private readonly string _parent = ProductRun.NewFolder();
    private readonly string _out;

    public LayerDocumentClientTests()
    {
        _out = Path.Combine(_parent, "run one");
    }

    public void Dispose() => ProductRun.Delete(_parent);

    private async Task ScoreAsync()
    {
        await using var server = await ProductRun.TileServerAsync();
        await ProductRun.ScoreAsync(server, _out);
    }

    [Fact]
    public async Task TileJson_WrittenWithoutBaseUrl_PassesTileJson300WithFileUrls()
    {
        await ScoreAsync();

        var text = File.ReadAllText(Path.Combine(_out, "tilejson.json"));

        Assert.Empty(TileJsonSchema.Problems(text));
        using var json = JsonDocument.Parse(text);
        var tiles = json.RootElement.GetProperty("tiles")[0].GetString()!;
        Assert.Equal(new Uri(Path.Combine(_out, "heatmap") + "/").AbsoluteUri + "{z}/{x}/{y}.png", tiles);
        Assert.Contains("run%20one", tiles, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"tilejson":"3.0.0","tiles":["heatmap/{z}/{x}/{y}.png"]}""", "absolute")]
    [InlineData("""{"tilejson":"3.0.0"}""", "tiles")]
    [InlineData("""{"tilejson":3,"tiles":["http://h/{z}/{x}/{y}.png"]}""", "tilejson")]
    [InlineData("""{"tilejson":"3.0.0","tiles":["http://h/{z}/{x}/{y}.png"],"minzoom":9,"maxzoom":4}""", "minzoom")]
    [InlineData("""{"tilejson":"3.0.0","tiles":["http://h/{z}/{x}/{y}.png"],"bounds":[10,50,9,51]}""", "bounds")]
    [InlineData("""{"tilejson":"3.0.0","tiles":["http://h/{z}/{x}/{y}.png"],"scheme":"google"}""", "scheme")]
    [InlineData("""{"tilejson":"3.0.0","tiles":["http://h/{z}/{x}/{y}.png"],"center":[0,0]}""", "center")]
    public void TileJsonSchema_InvalidDocument_ReportsTheProblem(string document, string expected)
    {
        Assert.Contains(TileJsonSchema.Problems(document), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WmtsDocument_GdalFromDiskWithoutServer_GivesHeatmapTifPixels()
    {
        var gdal = ExternalTool.Require("gdal_translate", "gdal-bin");
        await ScoreAsync();
        var wmtsPng = Path.Combine(_parent, "wmts.png");
        var tifPng = Path.Combine(_parent, "tif.png");

        // The z12 tiles of the run as 256 px per tile from the WMTS, and heatmap.tif (16 px per tile) brought to the same size.
        var m = TileMatrixSet.WebMercatorQuad()[12];
        var nw = m.TileBounds(s_range.MinCol, s_range.MinRow);
        var se = m.TileBounds(s_range.MaxCol, s_range.MaxRow);
        var window = new[] { "-projwin", F(nw.MinX), F(nw.MaxY), F(se.MaxX), F(se.MinY) };
        var width = F(s_range.Width * 256);
        var height = F(s_range.Height * 256);
        var (wmtsExit, _, wmtsError) = ExternalTool.Run(gdal, ["-q", "-of", "PNG", .. window, "-outsize", width, height, "WMTS:" + Path.Combine(_out, "heatmap-wmts.xml") + "", wmtsPng]);
        var (tifExit, _, tifError) = ExternalTool.Run(gdal, ["-q", "-of", "PNG", "-r", "nearest", "-outsize", width, height, Path.Combine(_out, "heatmap.tif"), tifPng]);

        Assert.True(wmtsExit == 0, wmtsError);
        Assert.True(tifExit == 0, tifError);
        using var wmts = SKBitmap.Decode(wmtsPng);
        using var tif = SKBitmap.Decode(tifPng);
        var visible = 0;
        for (var y = 8; y < tif.Height; y += 16)
        {
            for (var x = 8; x < tif.Width; x += 16)
            {
                var a = wmts.GetPixel(x, y);
                var b = tif.GetPixel(x, y);
                Assert.Equal(b.Alpha, a.Alpha);
                if (b.Alpha > 0)
                {
                    visible++;
                    Assert.Equal((b.Red, b.Green, b.Blue), (a.Red, a.Green, a.Blue));
                }
            }
        }

        Assert.True(visible > 100, "the heatmap has no visible pixels to compare");
    }

    [Fact]
    public async Task WmtsDocument_OwsLib_ParsesFromDiskAndFetchesAServedTile()
    {
        var python = OwsLibPython();
        await ScoreAsync();
        await using var server = await RunFolderServer.StartAsync(_out, IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);
        var tile = new TileIndex(Zoom: 12, Col: s_range.MinCol + 1, Row: s_range.MinRow + 2);
        var fetched = Path.Combine(_parent, "owslib.png");
        const string script = """
            import sys
            from owslib.wmts import WebMapTileService
            disk = WebMapTileService(sys.argv[1], xml=open(sys.argv[1], 'rb').read())
            layer = disk['urbanscore-heatmap']
            print('disk', layer.id, list(layer.tilematrixsetlinks), layer.resourceURLs[0]['template'])
            served = WebMapTileService(sys.argv[2])
            tile = served.gettile(layer='urbanscore-heatmap', tilematrixset='GoogleMapsCompatible', tilematrix=sys.argv[3], row=int(sys.argv[4]), column=int(sys.argv[5]), format='image/png')
            open(sys.argv[6], 'wb').write(tile.read())
            """;

        var (exit, stdout, stderr) = await Task.Run(() => ExternalTool.Run(python, ["-c", script, Path.Combine(_out, "heatmap-wmts.xml"), server.BaseUri + "heatmap-wmts.xml", "12", F(tile.Row), F(tile.Col), fetched]), TestContext.Current.CancellationToken);

        Assert.True(exit == 0, stderr);
        Assert.Contains("disk urbanscore-heatmap ['GoogleMapsCompatible'] file://", stdout, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_out, "heatmap", "12", F(tile.Col), F(tile.Row) + ".png")), File.ReadAllBytes(fetched));
        Assert.Contains(server.Log, e => e.Path == $"/heatmap/12/{tile.Col}/{tile.Row}.png" && e.Status == 200);
    }

    [Fact]
    public async Task Render_FolderMovedThenRendered_RepointsEveryDocumentUrl()
    {
        await ScoreAsync();
        var moved = Path.Combine(_parent, "moved");
        Directory.Move(_out, moved);

        var (exit, _, stderr) = await CliRun.RunAsync("render", "--out", moved);
        var (published, _, publishedError) = await CliRun.RunAsync("render", "--out", moved, "--base-url", "https://maps.example.org/run1/");
        var publishedJson = File.ReadAllText(Path.Combine(moved, "tilejson.json"));
        var (back, _, backError) = await CliRun.RunAsync("render", "--out", moved, "--base-url", "folder");

        Assert.True(exit == 0 && published == 0 && back == 0, stderr + publishedError + backError);
        Assert.Contains("\"https://maps.example.org/run1/heatmap/{z}/{x}/{y}.png\"", publishedJson, StringComparison.Ordinal);
        var folderUri = new Uri(moved + "/").AbsoluteUri;
        var wmts = File.ReadAllText(Path.Combine(moved, "heatmap-wmts.xml"));
        Assert.Contains($"template=\"{folderUri}heatmap/{{TileMatrix}}/{{TileCol}}/{{TileRow}}.png\"", wmts, StringComparison.Ordinal);
        Assert.Contains($"\"{folderUri}heatmap/{{z}}/{{x}}/{{y}}.png\"", File.ReadAllText(Path.Combine(moved, "tilejson.json")), StringComparison.Ordinal);
        Assert.DoesNotContain("run%20one", wmts + File.ReadAllText(Path.Combine(moved, "tilejson.json")), StringComparison.Ordinal);
    }

    /// <summary>The Debian python3 with OWSLib (python3-owslib), or skips.</summary>
    private static string OwsLibPython()
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalTool.Require("python3", "python3");
        var (exit, _, _) = ExternalTool.Run(python, ["-c", "import owslib.wmts"]);
        if (exit != 0)
        {
            Assert.Skip("OWSLib is not installed (apt-get install python3-owslib; .ci/run installs it).");
        }

        return python;
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string F(long value) => value.ToString(CultureInfo.InvariantCulture);
}
