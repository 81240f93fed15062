using UrbanScore.Geo;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Geo;

public sealed class CountryCatalogTests
{
    private static readonly TileMatrixSet s_mercator = TileMatrixSet.WebMercatorQuad();

    [Theory]
    [InlineData("FR")]
    [InlineData("fra")]
    [InlineData("250")]
    [InlineData("France")]
    public void Find_AnyCodeOrName_FindsFrance(string query)
    {
        var country = CountryCatalog.Find(query);

        Assert.Equal(new Country("France", "France", "FR", "FRA", "250"), country);
    }

    [Fact]
    public void Find_Unknown_ThrowsNamingTheListCommand()
    {
        var error = Assert.Throws<UrbanScoreException>(() => CountryCatalog.Find("Atlantis"));

        Assert.Contains("urbanscore countries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_Catalog_HasNaturalEarthCountries()
    {
        Assert.InRange(CountryCatalog.All.Count, 230, 260);
        Assert.Contains(CountryCatalog.All, c => c.Alpha3 == "FIN");
    }

    [Fact]
    public void Cover_Finland_CountStableAndBoundingTilesRight()
    {
        // Finland's extreme vertices in Natural Earth 1:50m (Åland is its own unit there): west 20.6228°E 69.0363°N,
        // east 31.5381°E 62.9221°N, north 27.7473°E 70.0640°N, south 23.0204°E 59.8164°N.
        var cover = CountryCatalog.Area("FI").Cover(s_mercator, 10);

        var westTile = WebMercator.TileAt(new LonLat(Lon: 20.6228, Lat: 69.0363), 10).Col;
        var eastTile = WebMercator.TileAt(new LonLat(Lon: 31.5381, Lat: 62.9221), 10).Col;
        var northTile = WebMercator.TileAt(new LonLat(Lon: 27.7473, Lat: 70.0640), 10).Row;
        var southTile = WebMercator.TileAt(new LonLat(Lon: 23.0204, Lat: 59.8164), 10).Row;
        Assert.Equal(westTile, cover.Extent.MinCol);
        Assert.Equal(eastTile, cover.Extent.MaxCol);
        Assert.Equal(northTile, cover.Extent.MinRow);
        Assert.Equal(southTile, cover.Extent.MaxRow);
        Assert.Equal(FinlandZ10Count, cover.Count);
        Assert.Equal(cover.Count, cover.Enumerate().LongCount());
    }

    /// <summary>Recorded from this version's cover; a change means the boundaries or the cover rule changed.</summary>
    private const long FinlandZ10Count = 1334;

    [Theory]
    [InlineData("RU")]
    [InlineData("FJ")]
    [InlineData("US")]
    public void Area_AntimeridianCountry_CrossesAndCoversBothEdges(string code)
    {
        var area = CountryCatalog.Area(code);

        var cover = area.Cover(s_mercator, 5);

        Assert.True(area.LonLatBounds.MinX > area.LonLatBounds.MaxX, $"{code} bounds {area.LonLatBounds} should cross the antimeridian");
        var columns = cover.Enumerate().Select(t => t.Col).ToHashSet();
        Assert.Contains(0, columns);
        Assert.Contains(31, columns);
        Assert.InRange(area.Geometry.EnvelopeInternal.MinX, -180, -170);
        Assert.InRange(area.Geometry.EnvelopeInternal.MaxX, 170, 180);
    }

    [Fact]
    public void SquareKilometres_France_MatchesKnownSurface()
    {
        // Metropolitan France ≈ 551,700 km² plus the overseas regions ≈ 89,000 km² (INSEE): ≈ 640,000 km².
        var km2 = CountryCatalog.Area("FR").SquareKilometres;

        Assert.InRange(km2, 600_000, 680_000);
    }

    [Fact]
    public void Buffered_Finland_GrowsAndCoversMoreTiles()
    {
        var area = CountryCatalog.Area("FI");

        var grown = area.Buffered(20_000);

        Assert.True(grown.SquareKilometres > area.SquareKilometres + 10_000);
        Assert.True(grown.Cover(s_mercator, 8).Count > area.Cover(s_mercator, 8).Count);
        Assert.True(grown.LonLatBounds.MaxY - area.LonLatBounds.MaxY is > 0.17 and < 0.19, "20 km north is 0.18 degrees of latitude");
    }
}
