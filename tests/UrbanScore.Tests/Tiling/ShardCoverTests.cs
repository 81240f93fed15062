using UrbanScore.Geo;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Tiling;

public sealed class ShardCoverTests
{
    private static readonly ITileCover s_finland = CountryCatalog.Area("FI").Cover(TileMatrixSet.WebMercatorQuad(), 9);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Enumerate_NShards_DisjointUnionIsCoverAndBalanced(int n)
    {
        // Act
        var shards = Enumerable.Range(0, n).Select(k => new ShardCover(s_finland, new Shard(Index: k, Count: n))).ToList();
        var parts = shards.Select(s => s.Enumerate().ToList()).ToList();

        // Assert: concatenated in shard order they are exactly the full cover's sequence (so disjoint, union = cover).
        Assert.Equal(s_finland.Enumerate(), parts.SelectMany(p => p));
        Assert.Equal(shards.Select(s => s.Count), parts.Select(p => (long)p.Count));
        var mean = (double)s_finland.Count / n;
        Assert.All(parts, p => Assert.InRange(p.Count, mean * 0.95, mean * 1.05));
        Assert.All(shards.Zip(parts), sp => Assert.Equal(sp.Second.Min(t => t.Row), sp.First.Extent.MinRow));
    }

    [Fact]
    public void Enumerate_SameShardTwice_IsDeterministic()
    {
        var first = new ShardCover(CountryCatalog.Area("FI").Cover(TileMatrixSet.WebMercatorQuad(), 9), Shard.Parse("2/7")).Enumerate().ToList();
        var second = new ShardCover(s_finland, new Shard(Index: 2, Count: 7)).Enumerate().ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Enumerate_RangeCover_ShardsConcatenateToCover()
    {
        var box = new BoxArea(new BoundingBox(MinX: 24.0, MinY: 60.0, MaxX: 25.5, MaxY: 60.6)).Cover(TileMatrixSet.WebMercatorQuad(), 11);

        var parts = Enumerable.Range(0, 3).SelectMany(k => new ShardCover(box, new Shard(Index: k, Count: 3)).Enumerate());

        Assert.Equal(box.Enumerate(), parts);
    }

    [Theory]
    [InlineData("3/3")]
    [InlineData("-1/3")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("0/0")]
    public void Parse_Invalid_ThrowsWithTheFormat(string text)
    {
        var error = Assert.Throws<UrbanScoreException>(() => Shard.Parse(text));

        Assert.Contains("K/N", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MoreShardsThanTiles_Throws()
    {
        var tiny = new TileListCover([new TileIndex(Zoom: 3, Col: 1, Row: 1)], 3);

        Assert.Throws<UrbanScoreException>(() => new ShardCover(tiny, new Shard(Index: 0, Count: 2)));
    }
}
