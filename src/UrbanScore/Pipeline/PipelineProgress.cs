namespace UrbanScore.Pipeline;

/// <summary>A snapshot of a run's progress.</summary>
/// <param name="Done">Tiles with an outcome so far.</param>
/// <param name="Total">Tiles planned, or null when the tile stream's length is unknown.</param>
/// <param name="Scored">Tiles scored.</param>
/// <param name="Empty">Tiles with no imagery.</param>
/// <param name="Failed">Tiles that failed.</param>
/// <param name="Elapsed">Time since the run started.</param>
public readonly record struct PipelineProgress(long Done, long? Total, long Scored, long Empty, long Failed, TimeSpan Elapsed)
{
    /// <summary>Tiles per second so far.</summary>
    public double TilesPerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    /// <summary>Estimated time left, or null when unknown.</summary>
    public TimeSpan? Remaining => Total is { } total && TilesPerSecond > 0 ? TimeSpan.FromSeconds((total - Done) / TilesPerSecond) : null;
}
