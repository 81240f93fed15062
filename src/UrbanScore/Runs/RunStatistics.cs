using UrbanScore.Analysis;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Runs;

/// <summary>
/// <c>urbanscore stats</c>: <see cref="UrbanStatistics"/> of the run in an output folder, on the grid its store saved.
/// Definitions: docs/analysis.md.
/// </summary>
public static class RunStatistics
{
    /// <summary>Computes the statistics of the run in <paramref name="runFolder"/>.</summary>
    /// <param name="runFolder">A folder written by <c>urbanscore score</c>.</param>
    /// <param name="regions">Regions to break the figures down by, or null for the total only.</param>
    /// <param name="threshold">P at or above which a scored tile is urban, 0..1.</param>
    /// <param name="cancellationToken">Stops between tiles.</param>
    /// <exception cref="UrbanScoreException">No finished run in the folder, or a threshold outside 0..1.</exception>
    public static UrbanStatisticsReport Compute(string runFolder, RegionSet? regions, double threshold = UrbanStatistics.DefaultThreshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        UrbanStatistics.CheckThreshold(threshold);
        using var store = ScoreStore.OpenExisting(runFolder);
        var grid = RunGrid.Load(store);
        return UrbanStatistics.Compute(store, grid.MatrixSet, grid.Extent.Zoom, regions, threshold, cancellationToken);
    }

    /// <summary>The WGS 84 bounds of the run in <paramref name="runFolder"/> (its scored tile range).</summary>
    /// <exception cref="UrbanScoreException">No finished run in the folder.</exception>
    public static BoundingBox LonLatBounds(string runFolder)
    {
        using var store = ScoreStore.OpenExisting(runFolder);
        return RunGrid.Load(store).LonLatBounds;
    }
}
