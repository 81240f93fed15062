using System.Globalization;
using System.Net;
using System.Xml.Linq;
using UrbanScore.Cli;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tests.DemoWorld;

public sealed class DemoWorldServerTests
{
    private static readonly XNamespace s_wmts = "http://www.opengis.net/wmts/1.0";
    private static readonly XNamespace s_ows = "http://www.opengis.net/ows/1.1";

    [Fact]
    public async Task Capabilities_RestAndKvp_ValidGoogleMapsCompatibleSynthetic()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var http = new HttpClient();

        Assert.Equal("127.0.0.1", server.BaseUri.Host);
        foreach (var url in new[] { server.CapabilitiesUri, new Uri(server.BaseUri, "wmts?service=WMTS&request=GetCapabilities") })
        {
            using var response = await http.GetAsync(url, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var doc = XDocument.Parse(await response.Content.ReadAsStringAsync(ct));

            var root = doc.Root!;
            Assert.Equal(s_wmts + "Capabilities", root.Name);
            Assert.Equal("1.0.0", (string?)root.Attribute("version"));
            Assert.Contains("synthetic", root.Element(s_ows + "ServiceIdentification")!.Element(s_ows + "Title")!.Value, StringComparison.OrdinalIgnoreCase);
            var set = root.Element(s_wmts + "Contents")!.Element(s_wmts + "TileMatrixSet")!;
            Assert.Equal("GoogleMapsCompatible", set.Element(s_ows + "Identifier")!.Value);
            Assert.Equal("urn:ogc:def:crs:EPSG::3857", set.Element(s_ows + "SupportedCRS")!.Value);
            var matrices = set.Elements(s_wmts + "TileMatrix").ToList();
            Assert.Equal(19, matrices.Count);
            for (var z = 0; z < matrices.Count; z++)
            {
                Assert.Equal(z.ToString(CultureInfo.InvariantCulture), matrices[z].Element(s_ows + "Identifier")!.Value);
                var scale = double.Parse(matrices[z].Element(s_wmts + "ScaleDenominator")!.Value, CultureInfo.InvariantCulture);
                Assert.Equal(559082264.0287178 / Math.Pow(2, z), scale, 1e-9 * scale);
                Assert.Equal("-20037508.3427892 20037508.3427892", matrices[z].Element(s_wmts + "TopLeftCorner")!.Value);
                Assert.Equal((1L << z).ToString(CultureInfo.InvariantCulture), matrices[z].Element(s_wmts + "MatrixWidth")!.Value);
            }

            var template = root.Descendants(s_wmts + "ResourceURL").Single().Attribute("template")!.Value;
            Assert.StartsWith(server.BaseUri.AbsoluteUri, template, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetTile_XyzRestAndKvp_SameJpegAsRenderer()
    {
        var ct = TestContext.Current.CancellationToken;
        var tile = WebMercator.TileAt(new LonLat(Lon: 2.35, Lat: 48.85), 15);
        var expected = DemoWorldRenderer.Default.RenderJpeg(tile);
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var http = new HttpClient();
        var urls = new[]
        {
            $"xyz/{tile.Zoom}/{tile.Col}/{tile.Row}.jpg",
            $"wmts/1.0.0/demo/default/GoogleMapsCompatible/{tile.Zoom}/{tile.Row}/{tile.Col}.jpg",
            $"wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=demo&STYLE=default&FORMAT=image/jpeg&TILEMATRIXSET=GoogleMapsCompatible&TILEMATRIX={tile.Zoom}&TILEROW={tile.Row}&TILECOL={tile.Col}",
        };

        foreach (var url in urls)
        {
            using var response = await http.GetAsync(new Uri(server.BaseUri, url), ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(response.Headers.ETag);
            Assert.NotNull(response.Headers.CacheControl);
            Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync(ct));
        }
    }

    [Fact]
    public async Task GetTile_IfNoneMatchWithEtag_NotModified()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var http = new HttpClient();
        var url = new Uri(server.BaseUri, "xyz/3/4/2.jpg");
        using var first = await http.GetAsync(url, ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await http.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("wmts/1.0.0/demo/default/GoogleMapsCompatible/3/8/0.jpg", "TileOutOfRange")]
    [InlineData("wmts/1.0.0/demo/default/GoogleMapsCompatible/19/0/0.jpg", "InvalidParameterValue")]
    [InlineData("wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo&STYLE=default&FORMAT=image/jpeg&TILEMATRIXSET=GoogleMapsCompatible&TILEMATRIX=2&TILEROW=0&TILECOL=4", "TileOutOfRange")]
    [InlineData("wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo&STYLE=default&FORMAT=image/jpeg&TILEMATRIXSET=GoogleMapsCompatible&TILEMATRIX=2&TILEROW=0", "MissingParameterValue")]
    [InlineData("wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=roads&STYLE=default&FORMAT=image/jpeg&TILEMATRIXSET=GoogleMapsCompatible&TILEMATRIX=2&TILEROW=0&TILECOL=0", "InvalidParameterValue")]
    public async Task GetTile_WmtsBadRequest_400OwsException(string url, string code)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(server.BaseUri, url), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var report = XDocument.Parse(await response.Content.ReadAsStringAsync(ct)).Root!;
        Assert.Equal(s_ows + "ExceptionReport", report.Name);
        Assert.Equal(code, (string?)report.Element(s_ows + "Exception")!.Attribute("exceptionCode"));
    }

    [Theory]
    [InlineData("xyz/3/8/0.jpg")]
    [InlineData("xyz/19/0/0.jpg")]
    [InlineData("xyz/3/1/1.png")]
    public async Task GetTile_XyzOutOfRange_404(string url)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(server.BaseUri, url), ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ServeCommand_WithoutDemoWorld_ExitsBadInput()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await UrbanScoreCli.RunAsync(["serve"], new CliContext(output, error, false), TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--demo-world", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeCommand_DemoWorld_ServesUntilCancelledThenExitsZero()
    {
        var ct = TestContext.Current.CancellationToken;
        using var output = new SignallingWriter("Ctrl+C");
        using var error = new StringWriter();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var run = UrbanScoreCli.RunAsync(["serve", "--demo-world"], new CliContext(output, error, false), cancellation.Token);
        await output.Seen.Task.WaitAsync(ct);
        var xyz = output.ToString().Split('\n').Single(l => l.StartsWith("XYZ tiles:", StringComparison.Ordinal))["XYZ tiles:".Length..].Trim();
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(xyz.Replace("{z}/{x}/{y}", "2/2/1", StringComparison.Ordinal)), ct);
        await cancellation.CancelAsync();
        var code = await run;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("127.0.0.1", xyz, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, code);
    }

    /// <summary>Completes <see cref="Seen"/> once a line containing a marker is written.</summary>
    private sealed class SignallingWriter(string marker) : StringWriter(CultureInfo.InvariantCulture)
    {
        public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task WriteLineAsync(string? value)
        {
            await base.WriteLineAsync(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true)
            {
                Seen.TrySetResult();
            }
        }
    }
}
