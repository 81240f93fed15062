using System.Text.Json;
using UrbanScore.Cli;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Wmts;

public sealed class CapabilitiesCommandTests
{
    [Fact]
    public async Task Run_JsonOnMapProxyFixture_WritesIssueShapeWithXFirstCorner()
    {
        // Arrange
        var path = SharedFixtures.Require("fixtures/wmts/mapproxy-1.15-local-restful.xml");
        using var output = new StringWriter();
        using var error = new StringWriter();

        // Act
        var code = await UrbanScoreCli.RunAsync(["capabilities", path, "--json"], new CliContext(output, error, false), TestContext.Current.CancellationToken);

        // Assert
        Assert.True(code == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var layer = json.RootElement.GetProperty("layers")[1];
        Assert.Equal("overlay", layer.GetProperty("identifier").GetString());
        Assert.Equal("wgs84", layer.GetProperty("tileMatrixSetLinks")[1].GetProperty("tileMatrixSet").GetString());
        Assert.Equal("tile", layer.GetProperty("resourceUrls")[0].GetProperty("resourceType").GetString());
        Assert.False(layer.GetProperty("styles")[0].GetProperty("isDefault").GetBoolean());
        Assert.Equal(0, layer.GetProperty("dimensions").GetArrayLength());
        var wgs84 = json.RootElement.GetProperty("tileMatrixSets")[1];
        Assert.Equal("EPSG:4326", wgs84.GetProperty("supportedCrs").GetString());
        var first = wgs84.GetProperty("tileMatrices")[0];
        Assert.Equal("00", first.GetProperty("identifier").GetString());
        Assert.Equal([-180.0, 90.0], first.GetProperty("topLeftCorner").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(2, first.GetProperty("matrixWidth").GetInt64());
        Assert.Equal(1, first.GetProperty("matrixHeight").GetInt64());
        Assert.Equal(256, first.GetProperty("tileWidth").GetInt32());
        Assert.True(first.GetProperty("scaleDenominator").GetDouble() > 0);
    }

    [Fact]
    public async Task Run_SummaryOnSwisstopo_ListsLayersAndSets()
    {
        var path = SharedFixtures.Require("fixtures/wmts/arcgis-swisstopo-topo-2056.xml");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await UrbanScoreCli.RunAsync(["capabilities", path], new CliContext(output, error, false), TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        Assert.Contains("EPSG:2056", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 layer(s):", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NotACapabilitiesFile_ExitsTwoWithOneLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "<html><title>Sign in</title></html>", TestContext.Current.CancellationToken);
            using var output = new StringWriter();
            using var error = new StringWriter();

            var code = await UrbanScoreCli.RunAsync(["capabilities", path], new CliContext(output, error, false), TestContext.Current.CancellationToken);

            Assert.Equal(2, code);
            Assert.StartsWith("error: The capabilities document at", error.ToString(), StringComparison.Ordinal);
            Assert.Single(error.ToString().TrimEnd().Split('\n'));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
