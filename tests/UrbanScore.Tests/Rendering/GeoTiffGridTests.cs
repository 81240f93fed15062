using UrbanScore.Rendering;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Rendering;

public sealed class GeoTiffGridTests
{
    [Fact]
    public void Constructor_WebMercatorRange_BoundsAreUnionOfTileBounds()
    {
        var set = TileMatrixSet.WebMercatorQuad();
        var range = new TileRange(Zoom: 14, MinCol: 9320, MinRow: 4740, MaxCol: 9335, MaxRow: 4748);

        var grid = new GeoTiffGrid(set, range, pixelsPerTile: 16);

        var expected = range.Enumerate().Select(WebMercator.TileBounds).Aggregate((a, b) => a.Union(b));
        Assert.Equal(expected, grid.Bounds);
        Assert.Equal(16 * 16, grid.Width);
        Assert.Equal(9 * 16, grid.Height);
        Assert.Equal(WebMercator.Resolution(14) * 256 / 16, grid.PixelSizeX, 12);
        Assert.Equal(grid.Bounds.Width, grid.PixelSizeX * grid.Width, 6);
        Assert.Equal(grid.Bounds.Height, grid.PixelSizeY * grid.Height, 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void Constructor_PixelsPerTileOutOfRange_ThrowsUrbanScoreException(int pixelsPerTile)
    {
        var range = new TileRange(Zoom: 3, MinCol: 0, MinRow: 0, MaxCol: 1, MaxRow: 1);

        var error = Assert.Throws<UrbanScoreException>(() => new GeoTiffGrid(TileMatrixSet.WebMercatorQuad(), range, pixelsPerTile));

        Assert.Contains("1..256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RangeOutsideMatrix_ThrowsUrbanScoreException()
    {
        var range = new TileRange(Zoom: 2, MinCol: 0, MinRow: 0, MaxCol: 4, MaxRow: 1);

        Assert.Throws<UrbanScoreException>(() => new GeoTiffGrid(TileMatrixSet.WebMercatorQuad(), range, 1));
    }

    [Fact]
    public void Constructor_ZoomNotInSet_ThrowsUrbanScoreException()
    {
        var range = new TileRange(Zoom: 9, MinCol: 0, MinRow: 0, MaxCol: 0, MaxRow: 0);

        Assert.Throws<UrbanScoreException>(() => new GeoTiffGrid(TileMatrixSet.WebMercatorQuad(maxZoom: 5), range, 1));
    }
}
