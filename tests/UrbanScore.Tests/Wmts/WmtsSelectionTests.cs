using UrbanScore.Sources;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;
using UrbanScore.Wmts;

namespace UrbanScore.Tests.Wmts;

public sealed class WmtsSelectionTests
{
    [Fact]
    public void Select_SeveralLayersAndNoLayerOption_ListsLayers()
    {
        var capabilities = Load("mapproxy-1.15-local-kvp");

        var ex = Assert.Throws<WmtsCapabilitiesException>(() => WmtsSelection.Select(capabilities, new WmtsSelectionOptions()));

        Assert.Contains("sat, overlay", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_UnknownLayer_ListsAvailableOnes()
    {
        var capabilities = Load("mapproxy-1.15-local-kvp");

        var ex = Assert.Throws<WmtsCapabilitiesException>(() => WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = "nosuch" }));

        Assert.Contains("no layer 'nosuch'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sat", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_ArcGisJpgPng_DefaultsToJpgPngAnd3857Set()
    {
        var capabilities = Load("arcgis-mashhad-jpgpng-default028mm");

        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Zoom = 12 });

        Assert.Equal("image/jpgpng", selection.Format);
        Assert.Equal(3857, selection.MatrixSet.Epsg);
        Assert.Equal(12, selection.Level);
        Assert.Equal(WmtsEncoding.Rest, selection.Encoding);
    }

    [Fact]
    public void Select_EoxLayer_PrefersWebMercatorOverLatLonSet()
    {
        var capabilities = Load("mapcache-eox-s2cloudless-4326-3857");
        var layer = capabilities.Layers.First(l => l.TileMatrixSetLinks.Count > 1).Identifier;

        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = layer });

        Assert.Equal(3857, selection.MatrixSet.Epsg);
    }

    [Fact]
    public void Select_ZoomInSwisstopoSeparateSetPerMaxLevel_MapsToMatchingResolution()
    {
        var capabilities = Load("swisstopo-bgdi-3857-time-rest");
        var layer = capabilities.Layers[0];

        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = layer.Identifier, Zoom = 15 });

        Assert.Equal("15", selection.MatrixSet[selection.Level!.Value].Identifier);
        Assert.Equal([new KeyValuePair<string, string>("Time", "current")], selection.Dimensions);
    }

    [Fact]
    public void Select_ZoomBeyondSet_ThrowsListingZooms()
    {
        var capabilities = Load("mapproxy-1.15-local-kvp");

        var ex = Assert.Throws<WmtsCapabilitiesException>(() => WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = "sat", Zoom = 9 }));

        Assert.Contains("0, 1, 2, 3, 4, 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_ZoomInSwiss2056Set_PicksNearestGroundResolution()
    {
        // Zürich (47.37° N): web-mercator z17 is 1.194 m × cos(47.37°) ≈ 0.81 m on the ground.
        var capabilities = Load("mapproxy-stadt-zuerich-2056");
        var layer = capabilities.Layers[0].Identifier;

        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = layer, Zoom = 17, ReferenceLatitude = 47.37 });

        var chosen = selection.MatrixSet[selection.Level!.Value].Resolution;
        var target = WebMercator.Resolution(17) * Math.Cos(47.37 * Math.PI / 180.0);
        Assert.All(selection.MatrixSet.Matrices, m => Assert.True(Math.Abs(Math.Log(chosen / target)) <= Math.Abs(Math.Log(m.Resolution / target))));
        Assert.Equal(2056, selection.MatrixSet.Epsg);
    }

    [Fact]
    public void Select_TileMatrixIdentifier_IsOpaque()
    {
        var capabilities = Load("geoserver-gwc-2.1-iwlearn-4326-900913");
        var layer = capabilities.Layers[0];
        var set = layer.TileMatrixSetLinks.First(l => l.TileMatrixSet == "EPSG:900913").TileMatrixSet;

        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = layer.Identifier, TileMatrixSet = set, TileMatrix = "EPSG:900913:5" });

        Assert.Equal(5, selection.Level);
        Assert.Equal(3857, selection.MatrixSet.Epsg);
    }

    [Fact]
    public void Restrict_QgisLimits_ClipTheCover()
    {
        var capabilities = Load("qgis-server-3.x-3857-4326-limits", new Uri("http://127.0.0.1:9/qgis?SERVICE=WMTS"));
        var layer = capabilities.Layers[0];
        var limits = layer.TileMatrixSetLinks.First(l => l.TileMatrixSet == "EPSG:3857").Limits.First(l => l.TileMatrix == "3");
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = layer.Identifier, TileMatrixSet = "EPSG:3857", Zoom = 3 });

        var clipped = selection.Restrict(new TileRange(Zoom: 3, MinCol: 0, MinRow: 0, MaxCol: 7, MaxRow: 7));

        Assert.Equal(new TileRange(Zoom: 3, MinCol: (int)limits.MinTileCol, MinRow: (int)limits.MinTileRow, MaxCol: (int)limits.MaxTileCol, MaxRow: (int)limits.MaxTileRow), clipped);
    }

    [Fact]
    public async Task FetchAsync_TileOutsideLimits_IsEmptyWithoutRequest()
    {
        var capabilities = Load("qgis-server-3.x-3857-4326-limits", new Uri("http://127.0.0.1:9/qgis?SERVICE=WMTS"));
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = capabilities.Layers[0].Identifier, TileMatrixSet = "EPSG:3857" });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new WmtsTileSource(selection, fetcher);
        var level = selection.MatrixSet.Matrices.Count - 1;
        var outside = new TileIndex(Zoom: level, Col: 0, Row: 0);
        Assert.False(selection.Contains(outside));

        var tile = await source.FetchAsync(outside, TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Empty, tile.Status);
        Assert.Equal(0, tile.Attempts);
    }

    [Fact]
    public void Select_UnknownDimension_ThrowsNamingKnownOnes()
    {
        var capabilities = Load("ogc-07-057r7-spec-sample-time");

        var ex = Assert.Throws<WmtsCapabilitiesException>(() => WmtsSelection.Select(capabilities, new WmtsSelectionOptions
        {
            TileMatrixSet = "google3857",
            Dimensions = [new("Elevation", "0")],
        }));

        Assert.Contains("Time", ex.Message, StringComparison.Ordinal);
    }

    internal static WmtsCapabilities Load(string fixture, Uri? source = null)
    {
        var path = SharedFixtures.Require($"fixtures/wmts/{fixture}.xml");
        using var stream = File.OpenRead(path);
        return WmtsCapabilitiesParser.Parse(stream, source ?? new Uri(path));
    }
}
