using UrbanScore.Rendering;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Viewer;

public sealed class ViewerWriterTests
{
    private static ProductSettings Settings(TileMatrixSet? set = null) => new()
    {
        Colormap = "red",
        Threshold = 0,
        ScorePixelsPerTile = 1,
        HeatmapPixelsPerTile = 16,
        Extent = new TileRange(Zoom: 12, MinCol: 2330, MinRow: 1185, MaxCol: 2333, MaxRow: 1187),
        MatrixSet = set ?? TileMatrixSet.WebMercatorQuad(),
        Date = "2026-01-01T00:00:00Z",
    };

    private static string Build(string source, string labels = "city\nnot_city")
    {
        var settings = Settings();
        var identity = new RunIdentity
        {
            Source = source,
            TileMatrixSet = settings.MatrixSet.Identifier,
            Epsg = settings.MatrixSet.Epsg,
            Labels = labels.Split('\n'),
            PositiveLabel = "city",
            ModelSha256 = new string('b', 64),
        };
        var layer = HeatmapLayerInfo.Create(settings, identity, 6);
        var (imagery, note) = ViewerWriter.Imagery(settings, source);
        return ViewerWriter.Build(settings, layer, identity, (10, 1, 1), imagery, note);
    }

    [Fact]
    public void Build_HostileStringsInMetadata_AreEscapedInHtmlAndJson()
    {
        var html = Build("XYZ http://evil.example/</script><script>alert(1)</script>{z}/{x}/{y}.png", labels: "<img src=x onerror=alert(2)>\ncity");

        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("</script><script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", html, StringComparison.Ordinal);
        Assert.Contains("\\u003C/script\\u003E", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("<script", StringSplitOptions.None).Length - 1); // leaflet.js, the config, the page script
    }

    [Fact]
    public void Imagery_SourceWithRedactedKey_OmittedAndSaysWhy()
    {
        var html = Build("XYZ https://tiles.example.com/{z}/{x}/{y}.jpg?apikey=***");

        Assert.Contains("\"imagery\":null", html, StringComparison.Ordinal);
        Assert.Contains("Imagery layer omitted: the source URL needed a key", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Imagery_WmtsRestTemplate_MapsMatrixIdentifiers()
    {
        var (imagery, note) = ViewerWriter.Imagery(Settings(), "WMTS layer 'sat' (GoogleMapsCompatible, style 'default', image/jpeg) via REST http://127.0.0.1:8080/wmts/sat/default/GoogleMapsCompatible/{TileMatrix}/{TileRow}/{TileCol}.jpeg");
        var json = System.Text.Json.JsonSerializer.Serialize(imagery);

        Assert.Contains("\"url\":\"http://127.0.0.1:8080/wmts/sat/default/GoogleMapsCompatible/{m}/{y}/{x}.jpeg\"", json, StringComparison.Ordinal);
        Assert.Contains("\"matrixIds\":[\"0\",\"1\"", json, StringComparison.Ordinal);
        Assert.Contains("WMTS", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WMTS layer 'sat' (x, style 'default', image/png) via KVP http://h/wmts?SERVICE=WMTS&REQUEST=GetTile&TILEMATRIX=0")]
    [InlineData("WMTS layer 'sat' (x, style 'default', image/png) via REST http://h/{Time}/{TileMatrix}/{TileRow}/{TileCol}.png")]
    [InlineData("XYZ file:///data/{z}/{x}/{y}.png")]
    public void Imagery_NotLoadableByBrowser_Omitted(string source)
    {
        var (imagery, note) = ViewerWriter.Imagery(Settings(), source);

        Assert.Null(imagery);
        Assert.StartsWith("Imagery layer omitted", note, StringComparison.Ordinal);
    }
}
