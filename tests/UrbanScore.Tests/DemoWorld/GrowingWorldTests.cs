using System.Net;
using System.Xml.Linq;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;
using UrbanScore.Wmts;

namespace UrbanScore.Tests.DemoWorld;

public sealed class GrowingWorldTests
{
    private static readonly XNamespace s_wmts = "http://www.opengis.net/wmts/1.0";
    private static readonly XNamespace s_ows = "http://www.opengis.net/ows/1.1";
    private static readonly int[] s_years = [2010, 2015, 2025];

    /// <summary>A 12 × 12 block of z14 tiles over Mönchengladbach's edge (Rhine–Ruhr).</summary>
    private static IEnumerable<TileIndex> Block()
    {
        var corner = WebMercator.TileAt(new LonLat(Lon: 6.38, Lat: 51.22), 14);
        for (var r = 0; r < 12; r++)
        {
            for (var c = 0; c < 12; c++)
            {
                yield return new TileIndex(Zoom: 14, Col: corner.Col + c, Row: corner.Row + r);
            }
        }
    }

    [Fact]
    public void ForYear_DefaultYear_IsTheDefaultWorld()
    {
        Assert.Same(DemoWorldRenderer.Default, DemoWorldRenderer.ForYear(DemoWorldRenderer.DefaultYear));
        Assert.Equal(DemoWorldRenderer.DefaultYear, DemoWorldRenderer.Default.Year);
    }

    [Fact]
    public void UrbanFraction_LaterYears_CitiesSpreadOutward()
    {
        var tiles = Block().ToArray();

        var urban = s_years.Select(y => tiles.Sum(t => DemoWorldRenderer.ForYear(y).UrbanFraction(t))).ToArray();

        Assert.True(urban[0] < urban[1] && urban[1] < urban[2], $"urban tile-fractions 2010/2015/2025: {string.Join(", ", urban)}");
        Assert.True(urban[2] > urban[1] * 1.1, $"ten years of growth should add more than 10 %: {urban[1]} → {urban[2]}");
    }

    [Fact]
    public void UrbanFraction_SameYearTwice_Identical()
    {
        var tile = Block().ElementAt(30);

        Assert.Equal(new DemoWorldRenderer(Tools.Cities.CityCatalog.Embedded, 2015).UrbanFraction(tile), DemoWorldRenderer.ForYear(2015).UrbanFraction(tile));
    }

    [Fact]
    public async Task Capabilities_TimeDimension_ServedYearsWithTheDefault()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var http = new HttpClient();

        var capabilities = await WmtsCapabilitiesParser.LoadAsync(server.CapabilitiesUri.AbsoluteUri, http, ct);

        var dimension = Assert.Single(capabilities.Layers.Single().Dimensions);
        Assert.Equal("Time", dimension.Identifier);
        Assert.Equal("2025", dimension.Default);
        Assert.Contains("2015", dimension.Values);
        Assert.Contains("2025", dimension.Values);
        var doc = XDocument.Parse(await http.GetStringAsync(server.CapabilitiesUri, ct));
        Assert.Contains("/{Time}/", doc.Descendants(s_wmts + "ResourceURL").Single().Attribute("template")!.Value, StringComparison.Ordinal);
        Assert.Equal("Time", doc.Descendants(s_wmts + "Dimension").Single().Element(s_ows + "Identifier")!.Value);
    }

    [Fact]
    public async Task GetTile_RestTimeKvpTimeAndXyzYear_TheWorldOfThatYear()
    {
        var ct = TestContext.Current.CancellationToken;
        var tile = Block().First(t => DemoWorldRenderer.ForYear(2015).UrbanFraction(t) != DemoWorldRenderer.ForYear(2025).UrbanFraction(t));
        var expected2015 = DemoWorldRenderer.ForYear(2015).RenderJpeg(tile);
        var expected2025 = DemoWorldRenderer.Default.RenderJpeg(tile);
        Assert.NotEqual(expected2015, expected2025);
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var http = new HttpClient();
        var b = server.BaseUri.AbsoluteUri;
        var (z, x, y) = (tile.Zoom, tile.Col, tile.Row);

        foreach (var (url, expected) in new[]
        {
            ($"{b}wmts/1.0.0/demo/default/2015/GoogleMapsCompatible/{z}/{y}/{x}.jpg", expected2015),
            ($"{b}wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=demo&STYLE=default&FORMAT=image/jpeg&TILEMATRIXSET=GoogleMapsCompatible&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&TIME=2015", expected2015),
            ($"{b}xyz/2015/{z}/{x}/{y}.jpg", expected2015),
            ($"{b}wmts/1.0.0/demo/default/2025/GoogleMapsCompatible/{z}/{y}/{x}.jpg", expected2025),
            ($"{b}wmts/1.0.0/demo/default/GoogleMapsCompatible/{z}/{y}/{x}.jpg", expected2025),
            ($"{b}xyz/{z}/{x}/{y}.jpg", expected2025),
        })
        {
            Assert.Equal(expected, await http.GetByteArrayAsync(url, ct));
        }
    }

    [Fact]
    public async Task GetTile_UnservedTime_OwsException400()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorldServer.StartAsync(cancellationToken: ct);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(server.BaseUri, "wmts/1.0.0/demo/default/1850/GoogleMapsCompatible/3/2/1.jpg"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("TIME", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
