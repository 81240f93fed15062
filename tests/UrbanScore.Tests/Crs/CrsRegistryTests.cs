using UrbanScore.Crs;

namespace UrbanScore.Tests.Crs;

public sealed class CrsRegistryTests
{
    public static TheoryData<int, double, double, double, double, double> KnownPoints { get; } = new()
    {
        // epsg, lon, lat, expected x, expected y, tolerance (m): projection origins and central meridians from the EPSG parameters.
        { 32632, 9.0, 0.0, 500000.0, 0.0, 1e-3 },
        { 32718, -75.0, 0.0, 500000.0, 10000000.0, 1e-3 },
        { 25833, 15.0, 0.0, 500000.0, 0.0, 1e-3 },
        { 3067, 27.0, 0.0, 500000.0, 0.0, 1e-3 },
        { 3006, 15.0, 0.0, 500000.0, 0.0, 1e-3 },
        { 3346, 24.0, 0.0, 500000.0, 0.0, 1e-3 },
        { 2180, 19.0, 0.0, 500000.0, -5300000.0, 1e-3 },
        // Off the equator the WGS 84 → GRS 1980 ellipsoid change (via geocentric, zero shift) moves latitudes by a few mm.
        { 3035, 10.0, 52.0, 4321000.0, 3210000.0, 0.01 },
        { 3034, 10.0, 52.0, 4000000.0, 2800000.0, 0.01 },
        { 2154, 3.0, 46.5, 700000.0, 6600000.0, 0.01 },
        // Bern's old observatory, the LV95/LV03 origin, in WGS 84 (swisstopo: 46°57'03.9" N, 7°26'19.1" E): the datum shift is
        // applied, so allow the few metres the rounded arc-seconds and the 3-parameter shift leave.
        { 2056, 7.438639, 46.951083, 2600000.0, 1200000.0, 5.0 },
        { 21781, 7.438639, 46.951083, 600000.0, 200000.0, 5.0 },
    };

    [Theory]
    [MemberData(nameof(KnownPoints))]
    public void Forward_ProjectionOrigin_LandsOnFalseEastingNorthing(int epsg, double lon, double lat, double x, double y, double tolerance)
    {
        // Arrange
        var transform = new Wgs84Transform(epsg);

        // Act
        var (actualX, actualY) = transform.Forward(lon, lat);
        var (backLon, backLat) = transform.Inverse(actualX, actualY);

        // Assert
        Assert.True(Math.Abs(actualX - x) <= tolerance && Math.Abs(actualY - y) <= tolerance, $"EPSG:{epsg}: ({actualX}, {actualY}) is not ({x}, {y})");
        Assert.Equal(lon, backLon, 1e-7);
        Assert.Equal(lat, backLat, 1e-7);
    }

    [Fact]
    public void TryGet_EveryUtmZone_BuildsNorthAndSouth()
    {
        // Act / Assert: each zone's central meridian maps to easting 500000.
        for (var zone = 1; zone <= 60; zone++)
        {
            var north = new Wgs84Transform(32600 + zone).Forward(-183.0 + (6.0 * zone), 10.0);
            var south = new Wgs84Transform(32700 + zone).Forward(-183.0 + (6.0 * zone), -10.0);
            Assert.Equal(500000.0, north.X, 1e-3);
            Assert.Equal(500000.0, south.X, 1e-3);
            Assert.Equal(10000000.0 - north.Y, south.Y, 1e-3);
        }
    }

    [Fact]
    public void TryGet_Etrs89Tm35FinAndUtm35_Agree()
    {
        // ETRS-TM35FIN is UTM zone 35 on ETRS89: the same point within a metre.
        var fin = new Wgs84Transform(3067).Forward(24.94, 60.17);
        var utm = new Wgs84Transform(32635).Forward(24.94, 60.17);

        Assert.Equal(utm.X, fin.X, 1.0);
        Assert.Equal(utm.Y, fin.Y, 1.0);
    }

    [Theory]
    [InlineData(900913)]
    [InlineData(102100)]
    [InlineData(3785)]
    public void Canonical_UnofficialWebMercatorCodes_Are3857(int code)
    {
        Assert.Equal(3857, CrsRegistry.Canonical(code));
        Assert.True(CrsRegistry.IsSupported(code));
    }

    [Fact]
    public void Get_UnknownCode_ThrowsUnsupportedCrsNamingIt()
    {
        var ex = Assert.Throws<UnsupportedCrsException>(() => CrsRegistry.Get(104905));

        Assert.Contains("EPSG:104905", ex.Message, StringComparison.Ordinal);
        Assert.Contains("choose a tile matrix set", ex.Message, StringComparison.Ordinal);
        Assert.Equal(InputSubject.TileMatrixSet, ex.Subject);
    }

    [Theory]
    [InlineData(4326, true)]
    [InlineData(4258, true)]
    [InlineData(3006, true)]
    [InlineData(3346, true)]
    [InlineData(3035, true)]
    [InlineData(3857, false)]
    [InlineData(2056, false)]
    [InlineData(3067, false)]
    [InlineData(25832, false)]
    public void IsNorthingFirst_EpsgAxisOrder_MatchesGdal(int epsg, bool northingFirst) =>
        Assert.Equal(northingFirst, CrsWkt.IsNorthingFirst(epsg));
}
