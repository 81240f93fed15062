namespace UrbanScore.Pipeline;

/// <summary>Sizes of the pipeline's stages. Defaults are derived from the machine, not fixed for one.</summary>
public sealed class PipelineOptions
{
    /// <summary>Concurrent fetch workers (HTTP requests in flight).</summary>
    public int FetchConcurrency { get; init; } = 16;

    /// <summary>
    /// Compute workers, each a thread that decodes tiles into its own batch and scores it with the model (batch size:
    /// the scorer's <see cref="Inference.ITileScorer.MaxBatchSize"/>); default: one per core
    /// (<see cref="PipelineTuning.DecodeWorkers"/>).
    /// </summary>
    public int DecodeWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Capacity of the channels between stages, in tiles (bounded: back-pressure, never the whole area). The fetched-tile
    /// queue is refilled to this many, with one slot more per fetch worker for the fetches in flight when it fills; the
    /// outcome channel holds twice as many.
    /// </summary>
    public int ChannelCapacity { get; init; } = 64;

    /// <summary>
    /// Tiles of the area enumerated ahead of the fetch workers. The producer refills this queue from half empty in one
    /// go, one thread-pool work item per refill: at 1,024, one per 512 tiles. Sized like the fetched-tile queue (64)
    /// it took one per 32 tiles, each waking a pool thread that then spun for more work on cores the compute workers
    /// need (docs/performance.md). A tile index is 12 bytes, so the queue holds 12 KiB.
    /// </summary>
    public int TileQueueCapacity { get; init; } = 1024;

    /// <summary>
    /// Whether the sink stage and the fetch workers run on the thread that wakes them (a compute worker) instead of a
    /// thread-pool thread: worth it when CPU compute workers fill every core (<see cref="PipelineTuning.WakeInline"/>,
    /// which <c>score</c>, <c>demo</c> and <c>bench</c> apply). Default false: the pool, right for any machine and model.
    /// </summary>
    public bool WakeInline { get; init; }

    /// <summary>Per-stage timings to record, or null (the default) to record none.</summary>
    public PipelineMetrics? Metrics { get; init; }

    /// <summary>How often progress is reported.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
