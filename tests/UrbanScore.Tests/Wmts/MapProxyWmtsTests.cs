using SkiaSharp;
using UrbanScore.Sources;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;
using UrbanScore.Wmts;

namespace UrbanScore.Tests.Wmts;

/// <summary>Capabilities and tiles from a real MapProxy 1.15 over KVP and REST (../shared/mapproxy).</summary>
public sealed class MapProxyWmtsTests : IClassFixture<MapProxyServer>
{
    private readonly MapProxyServer _server;

    public MapProxyWmtsTests(MapProxyServer server) => _server = server;

    [Fact]
    public async Task LoadAsync_LiveKvpCapabilities_ParsesLayersSetsAndKvpEndpoint()
    {
        // Arrange
        using var client = new HttpClient();

        // Act
        var capabilities = await WmtsCapabilitiesParser.LoadAsync(_server.KvpCapabilities.ToString(), client, TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(["sat", "overlay"], capabilities.Layers.Select(l => l.Identifier));
        Assert.NotNull(capabilities.GetTileKvp);
        Assert.Equal("/service", capabilities.GetTileKvp!.AbsolutePath);
        var wgs84 = capabilities.FindTileMatrixSet("wgs84")!;
        Assert.Equal((-180.0, 90.0), (wgs84.Matrices[0].TopLeftX, wgs84.Matrices[0].TopLeftY));
        Assert.Equal(["00", "01", "02", "03", "04", "05"], capabilities.FindTileMatrixSet("webmercator")!.Matrices.Select(m => m.Identifier));
    }

    [Fact]
    public async Task LoadAsync_LiveRestCapabilities_ParsesTemplates()
    {
        // Arrange
        using var client = new HttpClient();

        // Act
        var capabilities = await WmtsCapabilitiesParser.LoadAsync(_server.RestCapabilities.ToString(), client, TestContext.Current.CancellationToken);

        // Assert
        Assert.Null(capabilities.GetTileKvp);
        var template = Assert.Single(capabilities.FindLayer("sat")!.ResourceUrls);
        Assert.EndsWith("/wmts/1.0.0/sat/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.jpeg", template.Template, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_LiveOwsExceptionUrl_ThrowsWithServerMessage()
    {
        // Arrange: KVP GetCapabilities on MapProxy's /wmts path is a 500 (KVP lives on /service).
        using var client = new HttpClient();
        var url = new Uri(_server.Start(), "service?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=nosuch");

        // Act
        var ex = await Assert.ThrowsAsync<WmtsCapabilitiesException>(() => WmtsCapabilitiesParser.LoadAsync(url.ToString(), client, TestContext.Current.CancellationToken));

        // Assert
        Assert.Contains("HTTP", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WmtsEncoding.Kvp, 1, 1, 0)]
    [InlineData(WmtsEncoding.Kvp, 2, 3, 2)]
    [InlineData(WmtsEncoding.Rest, 1, 1, 0)]
    [InlineData(WmtsEncoding.Rest, 3, 5, 2)]
    public async Task FetchAsync_SeededSatTile_HasColourEncodingZoomColRow(WmtsEncoding encoding, int zoom, int col, int row)
    {
        // Arrange
        using var client = new HttpClient();
        var url = encoding == WmtsEncoding.Kvp ? _server.KvpCapabilities : _server.RestCapabilities;
        var capabilities = await WmtsCapabilitiesParser.LoadAsync(url.ToString(), client, TestContext.Current.CancellationToken);
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = "sat", Zoom = zoom, Encoding = encoding });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new WmtsTileSource(selection, fetcher);

        // Act
        var tile = await source.FetchAsync(new TileIndex(Zoom: selection.Level!.Value, Col: col, Row: row), TestContext.Current.CancellationToken);

        // Assert
        try
        {
            Assert.True(tile.Status == FetchStatus.Image, tile.Reason);
            Assert.Equal(zoom, selection.Level);
            Assert.Equal(encoding, selection.Encoding);
            // JPEG of a flat colour: allow the codec's rounding.
            AssertColour(tile.Bytes, MapProxyServer.TileColour(zoom, col, row), tolerance: 6);
        }
        finally
        {
            tile.ReturnBuffer();
        }
    }

    [Theory]
    [InlineData(WmtsEncoding.Kvp)]
    [InlineData(WmtsEncoding.Rest)]
    public async Task FetchAsync_Wgs84OverlayTile_IsAtTheEasternHalf(WmtsEncoding encoding)
    {
        // Arrange: EPSG:4326 written "90.0 -180.0" by MapProxy; level 0 is 2×1 tiles, col 1 is the eastern hemisphere.
        using var client = new HttpClient();
        var url = encoding == WmtsEncoding.Kvp ? _server.KvpCapabilities : _server.RestCapabilities;
        var capabilities = await WmtsCapabilitiesParser.LoadAsync(url.ToString(), client, TestContext.Current.CancellationToken);
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = "overlay", TileMatrixSet = "wgs84", TileMatrix = "00", Encoding = encoding });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new WmtsTileSource(selection, fetcher);
        var (col, row) = source.MatrixSet[0].TileAt(x: 90.0, y: 45.0);

        // Act
        var tile = await source.FetchAsync(new TileIndex(Zoom: 0, Col: (int)col, Row: (int)row), TestContext.Current.CancellationToken);

        // Assert
        try
        {
            Assert.Equal((1L, 0L), (col, row));
            Assert.True(tile.Status == FetchStatus.Image, tile.Reason);
            AssertColour(tile.Bytes, MapProxyServer.TileColour(0, 1, 0), tolerance: 0);
        }
        finally
        {
            tile.ReturnBuffer();
        }
    }

    private static void AssertColour(ReadOnlySpan<byte> encoded, (int R, int G, int B) expected, int tolerance)
    {
        using var bitmap = SKBitmap.Decode(encoded);
        Assert.NotNull(bitmap);
        var pixel = bitmap.GetPixel(128, 128);
        Assert.True(
            Math.Abs(pixel.Red - expected.R) <= tolerance && Math.Abs(pixel.Green - expected.G) <= tolerance && Math.Abs(pixel.Blue - expected.B) <= tolerance,
            $"pixel ({pixel.Red}, {pixel.Green}, {pixel.Blue}) is not ({expected.R}, {expected.G}, {expected.B})");
    }
}
