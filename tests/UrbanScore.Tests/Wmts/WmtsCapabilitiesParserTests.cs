using System.Text;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Wmts;

namespace UrbanScore.Tests.Wmts;

public sealed class WmtsCapabilitiesParserTests
{
    private static string Minimal(string crs, string corner) => $"""
        <Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" version="1.0.0">
          <Contents>
            <Layer><ows:Identifier>a</ows:Identifier><Format>image/png</Format>
              <TileMatrixSetLink><TileMatrixSet>s</TileMatrixSet></TileMatrixSetLink></Layer>
            <TileMatrixSet><ows:Identifier>s</ows:Identifier><ows:SupportedCRS>{crs}</ows:SupportedCRS>
              <TileMatrix><ows:Identifier>0</ows:Identifier><ScaleDenominator>1000</ScaleDenominator>
                <TopLeftCorner>{corner}</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight>
                <MatrixWidth>1</MatrixWidth><MatrixHeight>1</MatrixHeight></TileMatrix></TileMatrixSet>
          </Contents>
        </Capabilities>
        """;

    [Fact]
    public void Parse_DocumentWithExternalEntity_RefusesWithoutReadingTheFile()
    {
        // Arrange: a classic XXE payload.
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Capabilities [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <Capabilities><Contents><Layer><Identifier>&xxe;</Identifier></Layer></Contents></Capabilities>
            """;

        // Act
        var ex = Assert.Throws<WmtsCapabilitiesException>(() => Parse(xml));

        // Assert
        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OwsExceptionReport_ThrowsWithServerMessage()
    {
        var xml = """
            <ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="1.1.0">
              <ows:Exception exceptionCode="InvalidParameterValue"><ows:ExceptionText>unknown layer: nosuch</ows:ExceptionText></ows:Exception>
            </ows:ExceptionReport>
            """;

        var ex = Assert.Throws<WmtsCapabilitiesException>(() => Parse(xml));

        Assert.Contains("InvalidParameterValue", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown layer: nosuch", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><head><title>Login</title></head></html>", "<html>")]
    [InlineData("{\"error\": \"bad key\"}", "not XML")]
    [InlineData("<WMS_Capabilities version=\"1.3.0\"/>", "WMS")]
    public void Parse_NotWmts_ThrowsOneClearSentence(string body, string expected)
    {
        var ex = Assert.Throws<WmtsCapabilitiesException>(() => Parse(body));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EPSG:4326", "90 -180", -180.0, 90.0)] // MapProxy: short form is x/y, but GDAL auto-correction (a) swaps
    [InlineData("EPSG:4326", "-180 90", -180.0, 90.0)] // QGIS Server: short form, x/y
    [InlineData("urn:ogc:def:crs:EPSG::4326", "90 -180", -180.0, 90.0)] // URN: EPSG lat/lon
    [InlineData("urn:ogc:def:crs:EPSG::3006", "7800000 100000", 100000.0, 7800000.0)] // SWEREF99 TM north first
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3346", "10000100 -5122000", -5122000.0, 10000100.0)]
    [InlineData("urn:ogc:def:crs:EPSG::3857", "20037508.3427892 -20037508.3427892", -20037508.3427892, 20037508.3427892)] // tianditu
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", "-180 90", -180.0, 90.0)]
    [InlineData("urn:ogc:def:crs:EPSG::2056", "2420000 1350000", 2420000.0, 1350000.0)]
    public void Parse_TopLeftCorner_FollowsGdalAxisRule(string crs, string corner, double x, double y)
    {
        var capabilities = Parse(Minimal(crs, corner));

        var matrix = capabilities.TileMatrixSets[0].Matrices[0];
        Assert.Equal((x, y), (matrix.TopLeftX, matrix.TopLeftY));
    }

    [Theory]
    [InlineData("urn:ogc:def:crs:EPSG:6.18:3:3857", 3857)]
    [InlineData("urn:ogc:def:crs:EPSG:6.3:3067", 3067)]
    [InlineData("urn:ogc:def:crs:EPSG::900913", 3857)]
    [InlineData("EPSG:102100", 3857)]
    [InlineData("http://www.opengis.net/gml/srs/epsg.xml#2056", 2056)]
    [InlineData("urn:ogc:def:crs:OGC::CRS84", 4326)]
    [InlineData("IGNF:LAMB93", null)]
    public void Parse_SupportedCrsSpellings_ResolveToEpsg(string crs, int? epsg)
    {
        var capabilities = Parse(Minimal(crs, "0 0"));

        Assert.Equal(epsg, capabilities.TileMatrixSets[0].Epsg);
    }

    [Fact]
    public void ToTileMatrixSet_UnknownNonEpsgCrs_ThrowsNamingTheCrs()
    {
        var capabilities = Parse(Minimal("IGNF:LAMB93", "0 0"));

        var ex = Assert.Throws<WmtsCapabilitiesException>(() => capabilities.TileMatrixSets[0].ToTileMatrixSet());

        Assert.Contains("IGNF:LAMB93", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_QgisRelativeHref_ResolvesAgainstSourceUrl()
    {
        // Arrange
        var path = SharedFixtures.Require("fixtures/wmts/qgis-server-3.x-3857-4326-limits.xml");
        using var stream = File.OpenRead(path);

        // Act
        var capabilities = WmtsCapabilitiesParser.Parse(stream, new Uri("https://maps.example.org/qgis/wmts?SERVICE=WMTS&REQUEST=GetCapabilities"));

        // Assert
        Assert.NotNull(capabilities.GetTileKvp);
        Assert.StartsWith("https://maps.example.org/qgis/wmts?MAP=", capabilities.GetTileKvp!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_SwisstopoRestEncodingSpelledRest_IsRecognised()
    {
        var capabilities = WmtsCapabilitiesParser.ParseFile(SharedFixtures.Require("fixtures/wmts/swisstopo-bgdi-3857-time-rest.xml"));

        Assert.NotNull(capabilities.GetTileRest);
    }

    [Fact]
    public async Task LoadAsync_MissingFile_ThrowsUrbanScoreException()
    {
        using var client = new HttpClient();

        var ex = await Assert.ThrowsAsync<WmtsCapabilitiesException>(() => WmtsCapabilitiesParser.LoadAsync("/nonexistent/caps.xml", client, TestContext.Current.CancellationToken));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    private static WmtsCapabilities Parse(string xml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        return WmtsCapabilitiesParser.Parse(stream);
    }
}
