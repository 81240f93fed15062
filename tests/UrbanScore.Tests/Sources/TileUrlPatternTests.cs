using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Sources;

public sealed class TileUrlPatternTests
{
    [Fact]
    public void Xyz_EveryPlaceholderAnyCaseAndRepeated_FilledLikeTheSlippyMapConventions()
    {
        // z3 x5 y2: subdomain (5 + 2) mod 3 = 1 → b; TMS row 2^3 − 1 − 2 = 5; quadkey of x 101, y 010 → 1 2 1.
        var pattern = TileUrlPattern.Xyz("https://{s}.tiles.example/{Z}/{x}/{Y}/{-y}/{q}.png?col={X}&{foo}");

        var url = pattern.Format(new TileIndex(Zoom: 3, Col: 5, Row: 2));

        Assert.Equal("https://b.tiles.example/3/5/2/5/121.png?col=5&{foo}", url);
    }

    [Fact]
    public void Xyz_LargeIndicesAndZoomZero_WrittenInFull()
    {
        var pattern = TileUrlPattern.Xyz("http://h/{z}/{x}/{y}.jpg{q}");

        // Column 2^22 − 1 has all 22 bits set, row 2^20 only bit 20: quadkey 1, then 3, then twenty 1s.
        Assert.Equal("http://h/22/4194303/1048576.jpg13" + new string('1', 20), pattern.Format(new TileIndex(Zoom: 22, Col: 4194303, Row: 1048576)));
        Assert.Equal("http://h/0/0/0.jpg", pattern.Format(new TileIndex(Zoom: 0, Col: 0, Row: 0)));
    }

    [Fact]
    public void FromSample_SentinelsInEitherOrder_FilledWithTheTile()
    {
        var rowFirst = TileUrlPattern.FromSample("https://h/wmts/L/default/g/12/1357913579/2046802468.png?apikey=K", 1357913579, 2046802468);
        var colFirst = TileUrlPattern.FromSample("https://h/ows?TILECOL=2046802468&TILEROW=1357913579&TILEMATRIX=12", 1357913579, 2046802468);

        Assert.Equal("https://h/wmts/L/default/g/12/7/1234.png?apikey=K", rowFirst!.Format(new TileIndex(Zoom: 12, Col: 1234, Row: 7)));
        Assert.Equal("https://h/ows?TILECOL=1234&TILEROW=7&TILEMATRIX=12", colFirst!.Format(new TileIndex(Zoom: 12, Col: 1234, Row: 7)));
    }

    [Theory]
    [InlineData("https://h/12/2046802468.png")] // the row is missing
    [InlineData("https://h/1357913579/2046802468.png?key=1357913579")] // the row's number is also elsewhere
    public void FromSample_SentinelMissingOrRepeated_Null(string url) =>
        Assert.Null(TileUrlPattern.FromSample(url, 1357913579, 2046802468));
}
