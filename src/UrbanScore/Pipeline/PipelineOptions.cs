namespace UrbanScore.Pipeline;

/// <summary>Sizes of the pipeline's stages. Defaults are derived from the machine, not fixed for one.</summary>
public sealed class PipelineOptions
{
    /// <summary>Concurrent fetch workers (HTTP requests in flight).</summary>
    public int FetchConcurrency { get; init; } = 16;

    /// <summary>CPU workers that decode, resize and fill tensors; default: one per core.</summary>
    public int DecodeWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Batch buffers in circulation: one being filled, one being scored, one queued between them, so decoding and
    /// inference overlap without either waiting for a buffer.
    /// </summary>
    public int BatchesInFlight { get; init; } = 3;

    /// <summary>Capacity of the channels between stages, in tiles (bounded: back-pressure, never the whole area).</summary>
    public int ChannelCapacity { get; init; } = 64;

    /// <summary>Per-stage timings to record, or null (the default) to record none.</summary>
    public PipelineMetrics? Metrics { get; init; }

    /// <summary>How often progress is reported.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
