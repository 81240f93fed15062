namespace UrbanScore.Analysis;

/// <summary>Options of <c>urbanscore compare</c> (<c>Runs.RunComparison.Compare</c>).</summary>
public sealed class ComparisonOptions
{
    /// <summary>Folder for change.tif, the change heatmap, change.mbtiles, the viewer and change.json; created if absent.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Regions to break the figures down by, or null for the total only.</summary>
    public RegionSet? Regions { get; init; }

    /// <summary>A scored tile is urban when P ≥ this (0..1).</summary>
    public double Threshold { get; init; } = UrbanStatistics.DefaultThreshold;
}
