using SkiaSharp;
using UrbanScore.Tiling;
using UrbanScore.Tools.Cities;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tests.DemoWorld;

public sealed class DemoWorldRendererTests
{
    private static DemoWorldRenderer World => DemoWorldRenderer.Default;

    [Fact]
    public void RenderJpeg_SameTileTwice_SameBytes()
    {
        var tile = WebMercator.TileAt(new LonLat(Lon: 2.35, Lat: 48.85), 15);

        var first = World.RenderJpeg(tile);
        var second = World.RenderJpeg(tile);

        Assert.Equal(first, second);
        Assert.Equal(0xFF, first[0]);
        Assert.Equal(0xD8, first[1]);
    }

    [Theory]
    [InlineData(12, 2.35, 48.85)]
    [InlineData(14, 2.35, 48.85)]
    [InlineData(15, 1.2, 48.3)]
    [InlineData(17, 2.35, 48.85)]
    public void RenderPixels_NeighbourTiles_EdgesAsContinuousAsInsideATile(int zoom, double lon, double lat)
    {
        // Arrange: a tile and its east and south neighbours, in raw pixels (no JPEG blocking in the way).
        var tile = WebMercator.TileAt(new LonLat(Lon: lon, Lat: lat), zoom);
        var centre = Render(tile);
        var east = Render(tile with { Col = tile.Col + 1 });
        var south = Render(tile with { Row = tile.Row + 1 });

        // Act: mean absolute difference across the shared edges vs between adjacent columns/rows inside the tile.
        var acrossEast = ColumnDifference(centre, 255, east, 0);
        var acrossSouth = RowDifference(centre, 255, south, 0);
        double inside = 0;
        for (var k = 100; k < 110; k++)
        {
            inside += ColumnDifference(centre, k, centre, k + 1) + RowDifference(centre, k, centre, k + 1);
        }

        inside /= 20;

        // Assert: a seam would add a jump well above the ordinary pixel-to-pixel variation.
        Assert.True(acrossEast < (inside * 2.0) + 2, $"east edge {acrossEast:F2} vs inside {inside:F2}");
        Assert.True(acrossSouth < (inside * 2.0) + 2, $"south edge {acrossSouth:F2} vs inside {inside:F2}");
    }

    [Theory]
    [InlineData("Paris", 2.3488, 48.85341)]
    [InlineData("Tokyo", 139.69171, 35.6895)]
    [InlineData("Buenos Aires", -58.37723, -34.61315)]
    public void IsUrban_BigCityCentreAtZoom14_True(string name, double lon, double lat)
    {
        Assert.Contains(CityCatalog.Embedded.Cities, c => c.Name == name);
        var tile = WebMercator.TileAt(new LonLat(Lon: lon, Lat: lat), 14);

        Assert.True(World.IsUrban(tile), $"{name} {tile}: urban fraction {World.UrbanFraction(tile):F3}");
    }

    [Theory]
    [InlineData(-140.0, -40.0)] // South Pacific
    [InlineData(-30.0, 30.0)] // mid-Atlantic
    [InlineData(100.0, 62.0)] // central Siberia, far from any town of 15,000
    public void UrbanFraction_FarFromAnyCity_Zero(double lon, double lat)
    {
        var tile = WebMercator.TileAt(new LonLat(Lon: lon, Lat: lat), 14);

        Assert.Equal(0, World.UrbanFraction(tile));
        Assert.False(World.IsUrban(tile));
    }

    [Fact]
    public void UrbanFraction_OpenOcean_AllWater()
    {
        var tile = WebMercator.TileAt(new LonLat(Lon: -30.0, Lat: 30.0), 13);
        var classes = new LandCover[256 * 256];

        World.Classify(tile, classes);

        Assert.All(classes, c => Assert.Equal(LandCover.Water, c));
    }

    [Fact]
    public void UrbanFraction_MatchesClassifiedPixels()
    {
        var tile = WebMercator.TileAt(new LonLat(Lon: 2.6, Lat: 48.9), 14);
        var classes = new LandCover[256 * 256];

        World.Classify(tile, classes);

        Assert.Equal(classes.Count(c => c == LandCover.Urban) / 65536.0, World.UrbanFraction(tile));
    }

    [Fact]
    public void RenderJpeg_TileOutsideTheWorld_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => World.RenderJpeg(new TileIndex(Zoom: 3, Col: 8, Row: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => World.RenderJpeg(new TileIndex(Zoom: 19, Col: 0, Row: 0)));
    }

    [Fact]
    public void RenderJpeg_DecodesTo256Square()
    {
        using var bitmap = SKBitmap.Decode(World.RenderJpeg(new TileIndex(Zoom: 2, Col: 2, Row: 1)));

        Assert.Equal(256, bitmap.Width);
        Assert.Equal(256, bitmap.Height);
    }

    private static uint[] Render(TileIndex tile)
    {
        var pixels = new uint[256 * 256];
        World.RenderPixels(tile, pixels);
        return pixels;
    }

    private static double ColumnDifference(uint[] a, int colA, uint[] b, int colB)
    {
        double sum = 0;
        for (var y = 0; y < 256; y++)
        {
            sum += Difference(a[(y * 256) + colA], b[(y * 256) + colB]);
        }

        return sum / 256;
    }

    private static double RowDifference(uint[] a, int rowA, uint[] b, int rowB)
    {
        double sum = 0;
        for (var x = 0; x < 256; x++)
        {
            sum += Difference(a[(rowA * 256) + x], b[(rowB * 256) + x]);
        }

        return sum / 256;
    }

    private static double Difference(uint p, uint q) =>
        (Math.Abs((int)(p & 0xFF) - (int)(q & 0xFF)) + Math.Abs((int)((p >> 8) & 0xFF) - (int)((q >> 8) & 0xFF)) + Math.Abs((int)((p >> 16) & 0xFF) - (int)((q >> 16) & 0xFF))) / 3.0;
}
