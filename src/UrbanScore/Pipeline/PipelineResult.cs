namespace UrbanScore.Pipeline;

/// <summary>Counts and timings of a finished run.</summary>
/// <param name="Scored">Tiles scored.</param>
/// <param name="Empty">Tiles with no imagery.</param>
/// <param name="Failed">Tiles that failed.</param>
/// <param name="Elapsed">Wall time of the pipeline.</param>
/// <param name="Batches">Inference calls made.</param>
public sealed record PipelineResult(long Scored, long Empty, long Failed, TimeSpan Elapsed, long Batches)
{
    /// <summary>All tiles with an outcome.</summary>
    public long Total => Scored + Empty + Failed;

    /// <summary>Tiles per second over the whole run.</summary>
    public double TilesPerSecond => Elapsed.TotalSeconds > 0 ? Total / Elapsed.TotalSeconds : 0;
}
