using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Wmts;

namespace UrbanScore.Tests.Wmts;

public sealed class WmtsTileSourceUrlTests
{
    [Fact]
    public void TileUri_SwisstopoColBeforeRowWithTime_SubstitutesByName()
    {
        var capabilities = WmtsSelectionTests.Load("swisstopo-bgdi-3857-time-rest");
        var layer = capabilities.Layers[0];
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = layer.Identifier, TileMatrix = "15", Dimensions = [new("time", "2020")] });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions());

        var uri = new WmtsTileSource(selection, fetcher).TileUri(new TileIndex(Zoom: selection.Level!.Value, Col: 17000, Row: 11500));

        Assert.Equal($"https://wmts.geo.admin.ch/1.0.0/{layer.Identifier}/default/2020/3857/15/17000/11500.png", uri.ToString());
    }

    [Fact]
    public void TileUri_CarisLowerCasePlaceholders_AreFilled()
    {
        var capabilities = WmtsSelectionTests.Load("caris-sfs-lowercase-placeholders");
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = "World", TileMatrixSet = "GoogleMapsCompatible", Zoom = 2 });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions());

        var uri = new WmtsTileSource(selection, fetcher).TileUri(new TileIndex(Zoom: 2, Col: 3, Row: 1));

        Assert.Equal("http://server.caris.com/spatialfusionserver/services/ows/wmts/World/World/default/GoogleMapsCompatible/2/1/3.png", uri.ToString());
    }

    [Fact]
    public void TileUri_KvpWithEmptyStyleAndRelativeHref_SendsStyleAndKeepsMap()
    {
        // Arrange: the QGIS document with its layer's styles removed, so STYLE has to be sent empty (MapProxy 500s without it).
        var qgis = WmtsSelectionTests.Load("qgis-server-3.x-3857-4326-limits", new Uri("https://maps.example.org/ows?SERVICE=WMTS&REQUEST=GetCapabilities"));
        var capabilities = new WmtsCapabilities(qgis.Title, [qgis.Layers[0] with { Styles = [] }], qgis.TileMatrixSets, qgis.GetTileKvp, null, qgis.Source);
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { TileMatrixSet = "EPSG:3857" });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions());

        var uri = new WmtsTileSource(selection, fetcher).TileUri(new TileIndex(Zoom: 1, Col: 1, Row: 0));

        var query = uri.Query;
        Assert.StartsWith("https://maps.example.org/ows?MAP=", uri.ToString(), StringComparison.Ordinal);
        Assert.Contains("&SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=", query, StringComparison.Ordinal);
        Assert.Contains("&STYLE=&FORMAT=image%2Fpng&TILEMATRIXSET=EPSG%3A3857&TILEMATRIX=1&TILEROW=0&TILECOL=1", query, StringComparison.Ordinal);
    }

    [Fact]
    public void TileUri_ApiKeyOnlyInCapabilitiesUrl_IsCarriedAndRedactedInDescription()
    {
        var capabilities = WmtsSelectionTests.Load("mapproxy-1.15-local-restful", new Uri("http://127.0.0.1:8089/wmts/1.0.0/WMTSCapabilities.xml?apikey=SECRET123&lang=fi"));
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = "sat", Zoom = 1 });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions());
        var source = new WmtsTileSource(selection, fetcher);

        var uri = source.TileUri(new TileIndex(Zoom: 1, Col: 1, Row: 0));

        Assert.Equal("http://127.0.0.1:8089/wmts/1.0.0/sat/default/webmercator/01/0/1.jpeg?apikey=SECRET123", uri.ToString());
        Assert.DoesNotContain("SECRET123", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TemplateWithUnknownPlaceholder_Throws()
    {
        var capabilities = WmtsSelectionTests.Load("ogc-07-057r7-spec-sample-time", new Uri("http://www.example.com/wmts?SERVICE=WMTS"));
        var layer = capabilities.Layers[0];
        var withUnknown = new WmtsCapabilities(
            capabilities.Title,
            [layer with { ResourceUrls = [new WmtsResourceUrl("image/jpeg", "tile", "http://h/{TileMatrix}/{TileRow}/{TileCol}/{Bogus}.jpg")] }],
            capabilities.TileMatrixSets,
            null,
            null,
            capabilities.Source);
        var selection = WmtsSelection.Select(withUnknown, new WmtsSelectionOptions { TileMatrixSet = "google3857", Format = "image/jpeg" });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions());

        var ex = Assert.Throws<WmtsCapabilitiesException>(() => new WmtsTileSource(selection, fetcher));

        Assert.Contains("{Bogus}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TileUri_EveryRealFixtureLayerSetAndEncoding_EqualsTheUrlBuiltInFull()
    {
        // Arrange: every selectable (layer, tile matrix set, encoding) of the 18 real documents, read from a capabilities
        // URL with a key so that the credential carry-over is part of what the compiled patterns must reproduce.
        var source = new Uri("https://maps.example.org/wmts/WMTSCapabilities.xml?apikey=K123&lang=fi");
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions());
        var fixtures = new HashSet<string>(StringComparer.Ordinal);
        var compared = 0;
        foreach (var fixture in WmtsFixtureOracleTests.Fixtures.Select(row => row.Data))
        {
            var capabilities = WmtsSelectionTests.Load(fixture, source);
            foreach (var layer in capabilities.Layers)
            {
                foreach (var link in layer.TileMatrixSetLinks)
                {
                    foreach (var encoding in new[] { WmtsEncoding.Rest, WmtsEncoding.Kvp })
                    {
                        WmtsTileSource tiles;
                        try
                        {
                            var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions
                            {
                                Layer = layer.Identifier,
                                TileMatrixSet = link.TileMatrixSet,
                                Encoding = encoding,
                                Dimensions = [.. layer.Dimensions.Select(d => new KeyValuePair<string, string>(d.Identifier, d.Default ?? (d.Values.Count > 0 ? d.Values[0] : "x")))],
                            });
                            tiles = new WmtsTileSource(selection, fetcher);
                        }
                        catch (Exception ex) when (ex is WmtsCapabilitiesException or UrbanScore.Crs.UnsupportedCrsException)
                        {
                            continue; // not offered (no ResourceURL, no KVP endpoint, a CRS UrbanScore does not transform, ...)
                        }

                        // Act / Assert: the first, a middle and the last tile of the first, a middle and the last matrix.
                        var selected = tiles.Selection;
                        foreach (var zoom in new[] { 0, selected.MatrixSet.Matrices.Count / 2, selected.MatrixSet.Matrices.Count - 1 })
                        {
                            var matrix = selected.MatrixSet[zoom];

                            // The compiled pattern is what answers (not the fallback to the full build).
                            var sentinel = new TileIndex(Zoom: zoom, Col: WmtsTileSource.ColSentinel, Row: WmtsTileSource.RowSentinel);
                            var sample = selected.Encoding == WmtsEncoding.Rest ? WmtsUrlBuilder.Rest(selected, matrix, sentinel) : WmtsUrlBuilder.Kvp(selected, matrix, sentinel);
                            Assert.NotNull(TileUrlPattern.FromSample(sample.AbsoluteUri, WmtsTileSource.RowSentinel, WmtsTileSource.ColSentinel));
                            foreach (var (col, row) in new[] { (0, 0), ((int)(matrix.MatrixWidth / 2), (int)(matrix.MatrixHeight / 3)), ((int)matrix.MatrixWidth - 1, (int)matrix.MatrixHeight - 1) })
                            {
                                var tile = new TileIndex(Zoom: zoom, Col: col, Row: row);
                                var full = selected.Encoding == WmtsEncoding.Rest ? WmtsUrlBuilder.Rest(selected, matrix, tile) : WmtsUrlBuilder.Kvp(selected, matrix, tile);
                                var where = $"{fixture} {layer.Identifier} {link.TileMatrixSet} {encoding} {tile}";
                                Assert.True(full.AbsoluteUri == tiles.TileUri(tile).AbsoluteUri, where + ": " + full.AbsoluteUri);
                                compared++;
                            }
                        }

                        fixtures.Add(fixture);
                    }
                }
            }
        }

        Assert.True(fixtures.Count >= 12, $"only {fixtures.Count} documents had a selectable layer: {string.Join(", ", fixtures)}");
        Assert.True(compared >= 300, $"{compared} URLs compared");
    }
}
