namespace UrbanScore.Pipeline;

/// <summary>
/// Optional per-stage timings of a <see cref="ScoringPipeline"/> run (set <see cref="PipelineOptions.Metrics"/>):
/// what <c>urbanscore bench</c> reports. Recording is allocation-free and thread-safe; a run without metrics pays
/// nothing. One instance per run.
/// </summary>
public sealed class PipelineMetrics
{
    /// <summary>Time from sending a tile request to having its bytes (HTTP round trip and retries), per tile.</summary>
    public LatencyHistogram Fetch { get; } = new();

    /// <summary>Time a fetched tile waited in the channel before a compute worker took it, per tile.</summary>
    public LatencyHistogram DecodeQueueWait { get; } = new();

    /// <summary>Decode, resize and tensor fill, per tile.</summary>
    public LatencyHistogram Decode { get; } = new();

    /// <summary>One model call on a compute worker, per batch.</summary>
    public LatencyHistogram Inference { get; } = new();

    /// <summary>Handing one outcome to every sink (score store, heatmap tile), per tile.</summary>
    public LatencyHistogram Write { get; } = new();
}
