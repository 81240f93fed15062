using UrbanScore.Geo;
using UrbanScore.Tiling;
using UrbanScore.Tools.Cities;

namespace UrbanScore.Tools.Collect;

/// <summary>What <see cref="DatasetCollector"/> collects: which city tiles, how many random tiles, and where they go.</summary>
public sealed class CollectOptions
{
    /// <summary>Default radius around every city inside which no random tile is drawn, in kilometres.</summary>
    public const double DefaultExcludeRadiusKm = 10;

    /// <summary>Default radius of the disc around a random city in which a random tile is drawn, in kilometres.</summary>
    public const double DefaultRandomSpreadKm = 60;

    /// <summary>Default distance between city outlines and the negatives drawn outside them, in metres.</summary>
    public const double DefaultOutlineBufferMetres = 1000;

    /// <summary>Web-mercator zoom of every tile.</summary>
    public required int Zoom { get; init; }

    /// <summary>The cities whose centre tiles are collected (already filtered by population); also the exclusion set for random tiles.</summary>
    public required IReadOnlyList<City> Cities { get; init; }

    /// <summary>Output folder; receives <c>city/</c>, <c>not-city/</c> and <c>manifest.csv</c>.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>
    /// City outlines (Polygon/MultiPolygon, e.g. urban areas from OpenStreetMap). When set, positives are
    /// <see cref="PositiveCount"/> tiles drawn inside them (see <see cref="MinInsideShare"/>) instead of city-centre
    /// tiles, and the <see cref="RandomCount"/> negatives are drawn at least <see cref="OutlineBufferMetres"/> outside
    /// them, in <see cref="RandomArea"/> or else in the outlines' bounds grown by <see cref="RandomSpreadKm"/>;
    /// <see cref="Cities"/> is not used.
    /// </summary>
    public PolygonArea? Outlines { get; init; }

    /// <summary>With <see cref="Outlines"/>: positive tiles to keep, drawn uniformly without replacement (failed or empty draws are replaced).</summary>
    public int PositiveCount { get; init; } = 2000;

    /// <summary>
    /// With <see cref="Outlines"/>: a tile is inside when at least this share (0..1] of its area is, in web-mercator
    /// (the share of its pixels); null = when its centre is.
    /// </summary>
    public double? MinInsideShare { get; init; }

    /// <summary>With <see cref="Outlines"/>: no negative tile comes closer than this to an outline, in metres.</summary>
    public double OutlineBufferMetres { get; init; } = DefaultOutlineBufferMetres;

    /// <summary>Number of random tiles to keep (failed or empty draws are replaced by new draws).</summary>
    public int RandomCount { get; init; } = 2000;

    /// <summary>Ring of neighbours collected around each city-centre tile: 0 = the centre tile only, 1 = 3×3, 2 = 5×5.</summary>
    public int Neighbours { get; init; }

    /// <summary>No random tile centre lies closer than this to any city of <see cref="Cities"/>, in kilometres (great-circle).</summary>
    public double ExcludeRadiusKm { get; init; } = DefaultExcludeRadiusKm;

    /// <summary>Seed of the random draws: the same seed, cities and source give the same dataset.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Where random tiles are drawn, in degrees (EPSG:4326), uniformly by area. When null, random tiles are drawn
    /// around the world's city areas instead: a city of <see cref="Cities"/> chosen uniformly, then a point uniform in
    /// the disc of <see cref="RandomSpreadKm"/> around it (so they fall on inhabited land, not in the oceans).
    /// </summary>
    public BoundingBox? RandomArea { get; init; }

    /// <summary>Radius of the disc around a city in which random tiles are drawn when <see cref="RandomArea"/> is null, in kilometres.</summary>
    public double RandomSpreadKm { get; init; } = DefaultRandomSpreadKm;

    /// <summary>Tiles fetched at once.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>
    /// When set, labels every kept tile by this ground truth (true = city) instead of by how it was sampled; for
    /// worlds whose truth is known, such as the demo world's <c>DemoWorldRenderer.IsUrban</c>. Called concurrently.
    /// </summary>
    public Func<TileIndex, bool>? GroundTruth { get; init; }
}
