using NetTopologySuite.Geometries;
using UrbanScore.Geo;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Tiling;

public sealed class PolygonCoverTests
{
    private static readonly GeometryFactory s_factory = new();
    private static readonly TileMatrixSet s_mercator = TileMatrixSet.WebMercatorQuad();

    /// <summary>A concave "C" around Helsinki with a hole in its thick part (lon/lat degrees).</summary>
    private static Polygon ConcaveWithHole() => s_factory.CreatePolygon(
        s_factory.CreateLinearRing(Ring((24.613, 60.071), (25.487, 60.052), (25.391, 60.143), (24.835, 60.171), (24.861, 60.302), (25.452, 60.339), (25.203, 60.431), (24.557, 60.397), (24.613, 60.071))),
        [s_factory.CreateLinearRing(Ring((24.671, 60.121), (24.771, 60.118), (24.761, 60.333), (24.663, 60.329), (24.671, 60.121)))]);

    private static Polygon Triangle(double lon, double lat, double size) => s_factory.CreatePolygon(
        Ring((lon, lat), (lon + size, lat + (size * 0.31)), (lon + (size * 0.37), lat + size), (lon, lat)));

    private static Coordinate[] Ring(params (double Lon, double Lat)[] points) => [.. points.Select(p => new Coordinate(p.Lon, p.Lat))];

    public static TheoryData<string, int, CoverMode> Shapes => new()
    {
        { "concave-hole", 11, CoverMode.Intersect },
        { "concave-hole", 12, CoverMode.Intersect },
        { "concave-hole", 12, CoverMode.Center },
        { "multipolygon", 9, CoverMode.Intersect },
        { "multipolygon", 10, CoverMode.Center },
        { "antimeridian", 8, CoverMode.Intersect },
    };

    private static Geometry Shape(string name) => name switch
    {
        "concave-hole" => ConcaveWithHole(),
        "multipolygon" => s_factory.CreateMultiPolygon([Triangle(2.13, 48.71, 0.93), Triangle(4.02, 45.33, 0.71), ConcaveWithHole()]),
        // 170.3°E..-171.1°E written continuously (170.3..188.9), as world-atlas rings are.
        "antimeridian" => s_factory.CreatePolygon(Ring((170.3, -20.7), (188.9, -19.2), (185.2, -13.1), (172.6, -12.4), (170.3, -20.7))),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Enumerate_Shape_EqualsIndependentReference(string shape, int zoom, CoverMode mode)
    {
        // Arrange
        var area = new PolygonArea(Shape(shape), shape, mode);
        var cover = (PolygonCover)area.Cover(s_mercator, zoom);

        // Act
        var tiles = cover.Enumerate().ToList();

        // Assert: each tile once, Count exact, and the set equals the reference computed from the projected polygon
        // with NTS overlay (intersect: the tile square meets the polygon with a positive area; centre: the centre is inside).
        Assert.Equal(tiles.Count, tiles.Distinct().Count());
        Assert.Equal(cover.Count, tiles.Count);
        var reference = Reference(cover.TileSpaceGeometry, zoom, mode);
        Assert.Equal(reference.Order().ToList(), tiles.Select(t => (t.Col, t.Row)).Order().ToList());
        Assert.Equal(reference.Min(t => t.Col), cover.Extent.MinCol);
        Assert.Equal(reference.Max(t => t.Row), cover.Extent.MaxRow);
        if (mode == CoverMode.Intersect)
        {
            // Dense point-in-polygon (8 × 8 points per tile) finds no tile the cover lacks.
            Assert.Subset(tiles.Select(t => (t.Col, t.Row)).ToHashSet(), DensePointReference(cover.TileSpaceGeometry));
        }
    }

    [Fact]
    public void Enumerate_ConcaveWithHole_SkipsTilesInsideTheHole()
    {
        var cover = new PolygonArea(ConcaveWithHole(), "c").Cover(s_mercator, 14);

        var tiles = cover.Enumerate().ToHashSet();

        var inHole = WebMercator.TileAt(new LonLat(Lon: 24.716, Lat: 60.225), 14);
        var inShell = WebMercator.TileAt(new LonLat(Lon: 24.62, Lat: 60.225), 14);
        Assert.DoesNotContain(inHole, tiles);
        Assert.Contains(inShell, tiles);
    }

    [Fact]
    public void Enumerate_Polygon_ComesInAlignedBlocks()
    {
        var cover = new PolygonArea(ConcaveWithHole(), "c").Cover(s_mercator, 15);

        var blocks = cover.Enumerate().Select(t => (t.Row >> PolygonCover.BlockShift, t.Col >> PolygonCover.BlockShift)).ToList();

        // Every block appears as one consecutive run, in block-row then block-column order.
        var runs = blocks.Where((b, i) => i == 0 || b != blocks[i - 1]).ToList();
        Assert.Equal(runs.Count, runs.Distinct().Count());
        Assert.Equal(runs.Order().ToList(), runs);
    }

    [Fact]
    public void Cover_AntimeridianPolygon_CoversBothEndsOfTheMatrix()
    {
        var cover = new PolygonArea(Shape("antimeridian"), "fiji-ish").Cover(s_mercator, 6);

        var columns = cover.Enumerate().Select(t => t.Col).Distinct().ToList();

        Assert.Contains(63, columns);
        Assert.Contains(0, columns);
        Assert.DoesNotContain(32, columns);
    }

    [Fact]
    public void Constructor_ZoomOutsideSet_ThrowsUrbanScoreException()
    {
        var error = Assert.Throws<UrbanScoreException>(() => new PolygonCover(ConcaveWithHole(), s_mercator, 40));

        Assert.Contains("Zoom 40", error.Message, StringComparison.Ordinal);
    }

    private static List<(int Col, int Row)> Reference(Geometry tileSpace, int zoom, CoverMode mode)
    {
        var envelope = tileSpace.EnvelopeInternal;
        var size = 1 << zoom;
        var result = new List<(int, int)>();
        for (var row = Math.Max(0, (int)envelope.MinY - 1); row <= Math.Min(size - 1, (int)envelope.MaxY + 1); row++)
        {
            for (var col = Math.Max(0, (int)envelope.MinX - 1); col <= Math.Min(size - 1, (int)envelope.MaxX + 1); col++)
            {
                var inside = mode == CoverMode.Intersect
                    ? tileSpace.Intersection(s_factory.ToGeometry(new Envelope(col, col + 1, row, row + 1))).Area > 1e-12
                    : tileSpace.Contains(s_factory.CreatePoint(new Coordinate(col + 0.5, row + 0.5)));
                if (inside)
                {
                    result.Add((col, row));
                }
            }
        }

        return result;
    }

    private static HashSet<(int Col, int Row)> DensePointReference(Geometry tileSpace)
    {
        var envelope = tileSpace.EnvelopeInternal;
        var locator = new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(tileSpace);
        var result = new HashSet<(int, int)>();
        const int samples = 8;
        for (var y = Math.Floor(envelope.MinY) + (0.5 / samples); y < envelope.MaxY; y += 1.0 / samples)
        {
            for (var x = Math.Floor(envelope.MinX) + (0.5 / samples); x < envelope.MaxX; x += 1.0 / samples)
            {
                if (locator.Locate(new Coordinate(x, y)) == Location.Interior)
                {
                    result.Add(((int)x, (int)y));
                }
            }
        }

        return result;
    }
}
