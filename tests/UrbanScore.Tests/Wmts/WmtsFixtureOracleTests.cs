using System.Globalization;
using System.Text.Json;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Wmts;

namespace UrbanScore.Tests.Wmts;

/// <summary>
/// Every real capabilities document in ../shared/fixtures/wmts against its oracle (OWSLib 0.27.2 + GDAL 3.6.2, or a raw
/// ElementTree read where OWSLib fails). Values must match, except where <see cref="s_deliberateDifferences"/> names why
/// UrbanScore reads a document differently on purpose.
/// </summary>
public sealed class WmtsFixtureOracleTests
{
    /// <summary>(fixture, tile matrix set) → why our TopLeftCorner deliberately differs from the oracle's.</summary>
    private static readonly Dictionary<(string Fixture, string Set), string> s_deliberateDifferences = new()
    {
        [("caris-sfs-lowercase-placeholders", "GoogleMapsCompatible")] =
            "CARIS writes the bottom-left corner (-20037508, -20037508) of web mercator as TopLeftCorner (see the JSON's quirks); "
            + "GDAL/OWSLib keep it, which puts every tile south of the world; we use the top-left corner (-20037508, +20037508).",
    };

    public static TheoryData<string> Fixtures { get; } = new(
        "arcgis-lithuania-3346-northing-first",
        "arcgis-mashhad-jpgpng-default028mm",
        "arcgis-nasa-trek-mars-104905-float-matrixwidth",
        "arcgis-swisstopo-topo-2056",
        "arcgis-usa-demographics-3857-kvp-rest",
        "caris-sfs-lowercase-placeholders",
        "finland-etrs-tm35fin-tms-only",
        "geoserver-gwc-2.1-iwlearn-4326-900913",
        "geoserver-swissdatacube-rest-templates",
        "gwc-kartverket-multi-utm-kvp",
        "mapcache-eox-s2cloudless-4326-3857",
        "mapproxy-1.15-local-kvp",
        "mapproxy-1.15-local-restful",
        "mapproxy-stadt-zuerich-2056",
        "nasa-gibs-eosdis-legacy-crs84-kvp",
        "ogc-07-057r7-spec-sample-time",
        "qgis-server-3.x-3857-4326-limits",
        "swisstopo-bgdi-3857-time-rest");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_RealCapabilities_MatchesOracleLayers(string fixture)
    {
        // Arrange
        var (capabilities, oracle) = Load(fixture);
        var expectedLayers = oracle.RootElement.GetProperty("layers");

        // Act / Assert
        Assert.Equal(expectedLayers.GetArrayLength(), capabilities.Layers.Count);
        for (var i = 0; i < capabilities.Layers.Count; i++)
        {
            var actual = capabilities.Layers[i];
            var expected = expectedLayers[i];
            var where = $"{fixture} layer {i} '{actual.Identifier}'";
            Assert.True(expected.GetProperty("identifier").GetString() == actual.Identifier, where);
            if (expected.TryGetProperty("title", out var title))
            {
                Assert.True(title.GetString() == actual.Title, $"{where}: title");
            }

            Assert.Equal(Strings(expected.GetProperty("formats")), actual.Formats);
            Assert.Equal(
                [.. expected.GetProperty("styles").EnumerateArray().Select(s => (s.GetProperty("identifier").GetString()!, s.GetProperty("isDefault").GetBoolean()))],
                actual.Styles.Select(s => (s.Identifier, s.IsDefault)).ToList());
            var links = expected.GetProperty("tilematrixsetlinks");
            Assert.Equal(links.GetArrayLength(), actual.TileMatrixSetLinks.Count);
            for (var j = 0; j < links.GetArrayLength(); j++)
            {
                Assert.Equal(links[j].GetProperty("tilematrixset").GetString(), actual.TileMatrixSetLinks[j].TileMatrixSet);
                Assert.Equal(
                    [.. links[j].GetProperty("limits").EnumerateArray().Select(l => new WmtsTileMatrixLimits(
                        TileMatrix: l.GetProperty("tilematrix").GetString()!,
                        MinTileRow: l.GetProperty("mintilerow").GetInt64(),
                        MaxTileRow: l.GetProperty("maxtilerow").GetInt64(),
                        MinTileCol: l.GetProperty("mintilecol").GetInt64(),
                        MaxTileCol: l.GetProperty("maxtilecol").GetInt64()))],
                    actual.TileMatrixSetLinks[j].Limits);
            }

            Assert.Equal(
                [.. expected.GetProperty("resource_urls").EnumerateArray().Select(r => new WmtsResourceUrl(
                    r.GetProperty("format").GetString()!, r.GetProperty("resourceType").GetString()!, r.GetProperty("template").GetString()!))],
                actual.ResourceUrls);
            var dimensions = expected.GetProperty("dimensions");
            Assert.Equal(dimensions.GetArrayLength(), actual.Dimensions.Count);
            for (var j = 0; j < dimensions.GetArrayLength(); j++)
            {
                Assert.Equal(dimensions[j].GetProperty("identifier").GetString(), actual.Dimensions[j].Identifier);
                Assert.Equal(dimensions[j].GetProperty("default").GetString(), actual.Dimensions[j].Default);
                // The oracle lists at most 50 values and counts them all in value_count.
                var values = Strings(dimensions[j].GetProperty("values"));
                Assert.Equal(dimensions[j].GetProperty("value_count").GetInt32(), actual.Dimensions[j].Values.Count);
                Assert.Equal(values, actual.Dimensions[j].Values.Take(values.Count));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_RealCapabilities_MatchesOracleTileMatrixSets(string fixture)
    {
        // Arrange
        var (capabilities, oracle) = Load(fixture);
        var expectedSets = oracle.RootElement.GetProperty("tile_matrix_sets");

        // Act / Assert
        Assert.Equal(expectedSets.GetArrayLength(), capabilities.TileMatrixSets.Count);
        for (var i = 0; i < expectedSets.GetArrayLength(); i++)
        {
            var expected = expectedSets[i];
            var actual = capabilities.TileMatrixSets[i];
            Assert.Equal(expected.GetProperty("identifier").GetString(), actual.Identifier);
            Assert.Equal(expected.GetProperty("supported_crs").GetString(), actual.SupportedCrs);
            Assert.Equal(expected.GetProperty("well_known_scale_set").GetString(), actual.WellKnownScaleSet);
            var crs = expected.GetProperty("crs");
            if (crs.TryGetProperty("meters_per_unit", out var metresPerUnit) && metresPerUnit.ValueKind == JsonValueKind.Number)
            {
                AssertClose(metresPerUnit.GetDouble(), actual.MetresPerUnit, $"{fixture}/{actual.Identifier} metres per unit");
            }

            var matrices = expected.GetProperty("tile_matrices");
            Assert.Equal(matrices.GetArrayLength(), actual.Matrices.Count);
            s_deliberateDifferences.TryGetValue((fixture, actual.Identifier), out var difference);
            for (var j = 0; j < matrices.GetArrayLength(); j++)
            {
                var e = matrices[j];
                var a = actual.Matrices[j];
                var where = $"{fixture}/{actual.Identifier}/{a.Identifier}";
                Assert.True(e.GetProperty("identifier").GetString() == a.Identifier, where);
                AssertClose(e.GetProperty("scale_denominator").GetDouble(), a.ScaleDenominator, where + " scale denominator");
                Assert.True(e.GetProperty("tile_width").GetDouble() == a.TileWidth, where + " tile width");
                Assert.True(e.GetProperty("tile_height").GetDouble() == a.TileHeight, where + " tile height");
                Assert.True(e.GetProperty("matrix_width").GetDouble() == a.MatrixWidth, where + " matrix width");
                Assert.True(e.GetProperty("matrix_height").GetDouble() == a.MatrixHeight, where + " matrix height");

                var (x, y) = ExpectedTopLeft(e);
                if (difference is null)
                {
                    AssertClose(x, a.TopLeftX, where + " top-left x");
                    AssertClose(y, a.TopLeftY, where + " top-left y");
                }
                else
                {
                    // Deliberate: see s_deliberateDifferences. The oracle's corner must still be the one we repaired.
                    Assert.True(a.AxisRepair is not null, where + ": " + difference);
                    AssertClose(x, a.TopLeftX, where + " top-left x");
                    AssertClose(-y, a.TopLeftY, where + " top-left y (repaired: " + difference + ")");
                }

                if (e.TryGetProperty("pixel_size", out var pixelSize))
                {
                    AssertClose(pixelSize.GetDouble(), actual.Resolution(a), where + " pixel size (OGC 07-057r7 §6.1.1)");
                }
            }
        }
    }

    private static (double X, double Y) ExpectedTopLeft(JsonElement matrix)
    {
        if (matrix.TryGetProperty("top_left_xy_gdal_rule", out var rule))
        {
            return (rule[0].GetDouble(), rule[1].GetDouble());
        }

        // No GDAL reading (GDAL cannot parse the CRS): the corner as written, which is x/y for the ESRI code in NASA Trek.
        var parts = matrix.GetProperty("top_left_corner_as_written").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static (WmtsCapabilities Capabilities, JsonDocument Oracle) Load(string fixture)
    {
        var xml = SharedFixtures.Require($"fixtures/wmts/{fixture}.xml");
        var json = SharedFixtures.Require($"fixtures/wmts/{fixture}.expected.json");
        return (WmtsCapabilitiesParser.ParseFile(xml), JsonDocument.Parse(File.ReadAllText(json)));
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetString()!)];

    private static void AssertClose(double expected, double actual, string what)
    {
        // Relative 1e-12: both sides parse the same decimal text; the slack only absorbs the oracle's own float arithmetic.
        var tolerance = Math.Max(1e-9, Math.Abs(expected) * 1e-12);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected.ToString("R", CultureInfo.InvariantCulture)}, got {actual.ToString("R", CultureInfo.InvariantCulture)}");
    }
}
