using System.Globalization;
using UrbanScore.Storage;

namespace UrbanScore.Analysis;

/// <summary>
/// <c>urbanscore stats</c>: urban tiles and their true ground area (WGS 84 ellipsoid) per region and in total, read from
/// a run's <c>scores.sqlite</c> one tile at a time (memory flat in the run's size). Definitions: docs/analysis.md.
/// </summary>
public static class UrbanStatistics
{
    /// <summary>The default threshold: a tile is urban when P ≥ 0.5.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Computes the statistics of the run in <paramref name="runFolder"/>.</summary>
    /// <param name="runFolder">A folder written by <c>urbanscore score</c>.</param>
    /// <param name="regions">Regions to break the figures down by, or null for the total only.</param>
    /// <param name="threshold">P at or above which a scored tile is urban, 0..1.</param>
    /// <param name="cancellationToken">Stops between tiles.</param>
    /// <exception cref="UrbanScoreException">No run in the folder, or a threshold outside 0..1.</exception>
    public static UrbanStatisticsReport Compute(string runFolder, RegionSet? regions, double threshold = DefaultThreshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        CheckThreshold(threshold);
        using var store = ScoreStore.OpenExisting(runFolder);
        return Compute(store, regions, threshold, cancellationToken);
    }

    /// <summary>The WGS 84 bounds of the run in <paramref name="runFolder"/> (its scored tile range).</summary>
    /// <exception cref="UrbanScoreException">No finished run in the folder.</exception>
    public static Tiling.BoundingBox LonLatBounds(string runFolder)
    {
        using var store = ScoreStore.OpenExisting(runFolder);
        return RunGrid.Load(store).LonLatBounds;
    }

    /// <summary>The statistics of an open store (the viewer's summary uses the total).</summary>
    internal static UrbanStatisticsReport Compute(ScoreStore store, RegionSet? regions, double threshold, CancellationToken cancellationToken)
    {
        var grid = RunGrid.Load(store);
        var geometry = new TileGeometry(grid.MatrixSet, grid.Extent.Zoom);
        var total = new UrbanAccumulator();
        var perRegion = Enumerable.Range(0, regions?.Count ?? 0).Select(_ => new UrbanAccumulator()).ToArray();
        var parts = new List<(int Region, double SquareMetres)>();
        long n = 0;
        foreach (var (tile, status, score) in store.ReadScores(grid.Extent.Zoom))
        {
            if ((++n & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var area = geometry.SquareMetres(tile.Col, tile.Row);
            total.Add(status, score, area, threshold);
            if (regions is null)
            {
                continue;
            }

            SplitTile(regions, geometry, tile.Col, tile.Row, area, parts);
            foreach (var (region, inside) in parts)
            {
                perRegion[region].Add(status, score, inside, threshold);
            }
        }

        return new UrbanStatisticsReport(
            threshold,
            [.. perRegion.Select((a, i) => a.ToStatistics(regions!.Names[i]))],
            total.ToStatistics(null));
    }

    /// <summary>The parts of a tile inside each region (cleared; empty when the tile is far from every region).</summary>
    internal static void SplitTile(RegionSet regions, TileGeometry geometry, long col, long row, double area, List<(int Region, double SquareMetres)> parts)
    {
        var polygon = geometry.Polygon(col, row);
        if (!regions.MayMeet(polygon.EnvelopeInternal))
        {
            parts.Clear();
            return;
        }

        regions.Split(polygon, area, parts);
    }

    /// <exception cref="UrbanScoreException">Outside 0..1.</exception>
    internal static void CheckThreshold(double threshold)
    {
        if (!(threshold >= 0 && threshold <= 1))
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--threshold {threshold} is outside 0..1; give a probability such as 0.5."));
        }
    }
}
