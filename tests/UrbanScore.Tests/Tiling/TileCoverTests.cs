using UrbanScore.Tiling;

namespace UrbanScore.Tests.Tiling;

public sealed class TileCoverTests
{
    private static readonly TileMatrixSet s_mercator = TileMatrixSet.WebMercatorQuad();

    [Fact]
    public void ForBoundingBox_HelsinkiZoom15_CoversCornerTiles()
    {
        var box = new BoundingBox(MinX: 24.80, MinY: 60.10, MaxX: 25.10, MaxY: 60.30);

        var range = TileCover.ForBoundingBox(box, s_mercator, 15).Single();

        Assert.Equal(WebMercator.TileAt(new LonLat(Lon: 24.80, Lat: 60.30), 15), new TileIndex(Zoom: 15, Col: range.MinCol, Row: range.MinRow));
        Assert.Equal(WebMercator.TileAt(new LonLat(Lon: 25.10, Lat: 60.10), 15), new TileIndex(Zoom: 15, Col: range.MaxCol, Row: range.MaxRow));
    }

    [Fact]
    public void ForBoundingBox_EdgesOnTileBoundaries_DoNotPullInNeighbours()
    {
        // Exactly tile 1/1 at z1 (lon 0..180, lat -85.05..0): one tile, not four.
        var box = new BoundingBox(MinX: 0, MinY: -WebMercator.MaxLatitude, MaxX: 180, MaxY: 0);

        var range = TileCover.ForBoundingBox(box, s_mercator, 1).Single();

        Assert.Equal(new TileRange(Zoom: 1, MinCol: 1, MinRow: 1, MaxCol: 1, MaxRow: 1), range);
    }

    [Fact]
    public void ForBoundingBox_CrossingAntimeridian_SplitsIntoTwoRanges()
    {
        var box = new BoundingBox(MinX: 170, MinY: -20, MaxX: -170, MaxY: -10);

        var ranges = TileCover.ForBoundingBox(box, s_mercator, 4);

        Assert.Equal(2, ranges.Count);
        Assert.Equal(15, ranges[0].MaxCol);
        Assert.Equal(0, ranges[1].MinCol);
        Assert.Equal(ranges[0].MinRow, ranges[1].MinRow);
    }

    [Fact]
    public void ForBoundingBox_PolarBox_ClampsToMercatorLimit()
    {
        var box = new BoundingBox(MinX: -10, MinY: 80, MaxX: 10, MaxY: 90);

        var range = TileCover.ForBoundingBox(box, s_mercator, 3).Single();

        Assert.Equal(0, range.MinRow);
    }

    [Theory]
    [InlineData("1,2,3", "four numbers")]
    [InlineData("a,b,c,d", "four numbers")]
    [InlineData("0,10,1,5", "minLat")]
    [InlineData("0,-95,1,5", "-90..90")]
    [InlineData("-190,0,1,5", "-180..180")]
    [InlineData("5,0,5,1", "empty box")]
    public void ParseBoundingBox_Invalid_ThrowsWithFix(string text, string expected)
    {
        var error = Assert.Throws<UrbanScoreException>(() => TileCover.ParseBoundingBox(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForBoundingBox_ZoomOutsideSet_Throws()
    {
        var box = new BoundingBox(MinX: 0, MinY: 0, MaxX: 1, MaxY: 1);

        Assert.Throws<UrbanScoreException>(() => TileCover.ForBoundingBox(box, TileMatrixSet.WebMercatorQuad(maxZoom: 10), 11));
    }
}
