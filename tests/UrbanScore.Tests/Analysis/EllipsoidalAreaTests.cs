using UrbanScore.Geo;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Analysis;

public sealed class EllipsoidalAreaTests
{
    [Theory]
    [InlineData(0.0, 0.0, 1.0, 1.0)]
    [InlineData(6.0, 51.0, 8.0, 52.0)]
    [InlineData(-75.0, -40.0, -70.0, -10.0)]
    [InlineData(10.0, 70.0, 30.0, 85.0)]
    [InlineData(-180.0, -90.0, 180.0, 90.0)]
    public void RectangleSquareMetres_LonLatRectangle_MatchesNumericalIntegralOfTheAreaElement(double west, double south, double east, double north)
    {
        var closedForm = EllipsoidalArea.RectangleSquareMetres(west, south, east, north);

        var numerical = AnalysisRun.NumericalRectangleArea(west, south, east, north);

        Assert.Equal(1.0, closedForm / numerical, 1e-9);
    }

    [Fact]
    public void EllipsoidSquareMetres_Wgs84_IsThePublishedSurface()
    {
        // The surface of the WGS 84 ellipsoid: 510,065,621.718 km², the value geodesy tables list for it.
        Assert.Equal(5.10065621718e14, EllipsoidalArea.EllipsoidSquareMetres, 5.10065621718e14 * 1e-9);
    }

    [Fact]
    public void SquareMetres_WebMercatorTile_MatchesNumericalIntegral()
    {
        var set = TileMatrixSet.WebMercatorQuad();
        var geometry = new TileGeometry(set, 14);
        var tile = WebMercator.TileAt(new LonLat(Lon: 7.0, Lat: 51.5), 14);

        var area = geometry.SquareMetres(tile.Col, tile.Row);

        Assert.Equal(1.0, area / AnalysisRun.NumericalTileArea(tile), 1e-9);
        Assert.Equal(area, geometry.Polygon(tile.Col, tile.Row).Area, area * 1e-12);
    }

    [Fact]
    public void SquareMetres_WorldCrs84QuadLevel0_TwoTilesMakeTheWholeEllipsoid()
    {
        // EPSG:4326 is not web mercator: two 180° × 180° tiles from (-180, 90), as OGC WorldCRS84Quad level 0.
        var set = new TileMatrixSet("WorldCRS84Quad", 4326, [new TileMatrix(Identifier: "0", ScaleDenominator: 279541132.0143589, Resolution: 180.0 / 256, TopLeftX: -180, TopLeftY: 90, TileWidth: 256, TileHeight: 256, MatrixWidth: 2, MatrixHeight: 1)]);
        var geometry = new TileGeometry(set, 0);

        var total = geometry.SquareMetres(0, 0) + geometry.SquareMetres(1, 0);

        Assert.Equal(1.0, total / EllipsoidalArea.EllipsoidSquareMetres, 1e-12);
    }

    [Fact]
    public void SquareMetres_LambertAzimuthalEqualAreaTile_IsItsSquareSpan()
    {
        // EPSG:3035 (ETRS89 / LAEA Europe) preserves area on GRS 80 (as good as WGS 84 here): a 10 km × 10 km tile of
        // that grid covers 100 km² of ground, whatever its place. The tile is traced through ProjNet.
        var set = new TileMatrixSet("LAEA", 3035, [new TileMatrix(Identifier: "0", ScaleDenominator: 1e5, Resolution: 10_000.0 / 256, TopLeftX: 4_000_000, TopLeftY: 3_500_000, TileWidth: 256, TileHeight: 256, MatrixWidth: 100, MatrixHeight: 100)]);
        var geometry = new TileGeometry(set, 0);

        foreach (var (col, row) in new[] { (0, 0), (37, 12), (90, 95) })
        {
            Assert.Equal(1.0, geometry.SquareMetres(col, row) / 1e8, 1e-6);
        }
    }
}
