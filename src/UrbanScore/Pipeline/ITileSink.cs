namespace UrbanScore.Pipeline;

/// <summary>
/// Receives every tile's outcome, one call at a time from a single task (no locking needed), in no particular order.
/// The seam between the pipeline and what it writes (score store, heatmap tiles, metrics).
/// </summary>
public interface ITileSink
{
    /// <summary>Takes one outcome.</summary>
    ValueTask WriteAsync(TileOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Makes everything written so far durable (called at the end, and also periodically).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
