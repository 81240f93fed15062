using System.Globalization;
using UrbanScore.Geo;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Analysis;

/// <summary>
/// Urban tiles and their true ground area (WGS 84 ellipsoid) per region and in total, read from a run's store one tile
/// at a time (memory flat in the run's size); <c>urbanscore stats</c> is <see cref="Runs.RunStatistics"/> over this.
/// Definitions: docs/analysis.md.
/// </summary>
public static class UrbanStatistics
{
    /// <summary>The default threshold: a tile is urban when P ≥ 0.5.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Computes the statistics of the tiles of level <paramref name="zoom"/> in <paramref name="store"/>.</summary>
    /// <param name="store">A run's store (read only).</param>
    /// <param name="matrixSet">The tile matrix set the run was scored on (its CRS gives the tiles' ground footprint).</param>
    /// <param name="zoom">The scored level.</param>
    /// <param name="regions">Regions to break the figures down by, or null for the total only.</param>
    /// <param name="threshold">P at or above which a scored tile is urban, 0..1.</param>
    /// <param name="cancellationToken">Stops between tiles.</param>
    /// <exception cref="UrbanScoreException">A threshold outside 0..1, or a CRS the registry does not know.</exception>
    public static UrbanStatisticsReport Compute(ScoreStore store, TileMatrixSet matrixSet, int zoom, RegionSet? regions, double threshold = DefaultThreshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(matrixSet);
        CheckThreshold(threshold);
        var geometry = new TileGeometry(matrixSet, zoom);
        var total = new UrbanAccumulator();
        var perRegion = Enumerable.Range(0, regions?.Count ?? 0).Select(_ => new UrbanAccumulator()).ToArray();
        var parts = new List<(int Region, double SquareMetres)>();
        long n = 0;
        foreach (var (tile, status, score) in store.ReadScores(zoom))
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
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"Threshold {threshold} is outside 0..1; give a probability such as 0.5."))
            { Subject = InputSubject.Threshold };
        }
    }
}
