using UrbanScore.Tiling;

namespace UrbanScore.Tests.Tiling;

public sealed class WebMercatorTests
{
    [Fact]
    public void TileAt_HelsinkiCentreZoom14_IsKnownTile()
    {
        // Helsinki Senate Square 24.9525 E, 60.1695 N: z14 tile 9327/4742 (checked against the OSM slippy-map formula).
        var tile = WebMercator.TileAt(new LonLat(Lon: 24.9525, Lat: 60.1695), 14);

        Assert.Equal(new TileIndex(Zoom: 14, Col: 9327, Row: 4742), tile);
    }

    [Theory]
    [InlineData(90.0)]
    [InlineData(85.06)]
    public void TileAt_LatitudeBeyondMercatorLimit_ClampsToTopRow(double lat)
    {
        var tile = WebMercator.TileAt(new LonLat(Lon: 0, Lat: lat), 5);

        Assert.Equal(0, tile.Row);
    }

    [Fact]
    public void TileAt_Antimeridian_WrapsToFirstColumn()
    {
        var east = WebMercator.TileAt(new LonLat(Lon: 180.0, Lat: 0.1), 3);
        var west = WebMercator.TileAt(new LonLat(Lon: -180.0, Lat: 0.1), 3);

        Assert.Equal(0, east.Col);
        Assert.Equal(west, east);
    }

    [Fact]
    public void TileBounds_MatchesMatrixSetBounds()
    {
        var set = TileMatrixSet.WebMercatorQuad();
        var tile = new TileIndex(Zoom: 15, Col: 18654, Row: 9484);

        var a = WebMercator.TileBounds(tile);
        var b = set.TileBounds(tile);

        Assert.Equal(a.MinX, b.MinX, 1e-6);
        Assert.Equal(a.MaxY, b.MaxY, 1e-6);
        Assert.True(set.IsWebMercatorQuad);
    }

    [Fact]
    public void TileNorthWest_RoundTripsThroughTileAt()
    {
        var tile = new TileIndex(Zoom: 17, Col: 74612, Row: 37937);

        var corner = WebMercator.TileNorthWest(tile);
        var back = WebMercator.TileAt(new LonLat(Lon: corner.Lon + 1e-9, Lat: corner.Lat - 1e-9), 17);

        Assert.Equal(tile, back);
    }

    [Fact]
    public void MaxLatitude_IsMercatorLimit()
    {
        Assert.Equal(85.0511287798, WebMercator.MaxLatitude, 1e-9);
    }
}
