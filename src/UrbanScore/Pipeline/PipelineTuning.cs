namespace UrbanScore.Pipeline;

/// <summary>
/// Default stage sizes chosen from the machine and the model rather than fixed for one machine, measured with
/// <c>urbanscore bench</c> (docs/performance.md). One compute worker per core decodes its own small batch and scores
/// it with a single-threaded ONNX Runtime <c>Run</c> (no intra-op threads that wait for each other while a decode
/// holds a core, no tensor handed between threads): dynamic-batch models in batches of
/// <see cref="DynamicBatchSize"/>, fixed-batch models one <c>Run</c> per model batch, in sequence on the worker.
/// </summary>
public static class PipelineTuning
{
    /// <summary>
    /// Images per worker batch for dynamic-batch models on CPU. Single-threaded, the per-tile cost of the default
    /// model barely depends on the batch (within ±3 % for 1–16 on an idle machine), and a small batch keeps each
    /// worker's decoded tiles in cache (bench sweep in docs/performance.md).
    /// </summary>
    public const int DynamicBatchSize = 4;

    /// <summary>Concurrent <c>Run</c> calls inside one <c>Score</c>: one, since the workers already use every core.</summary>
    public const int ConcurrentRuns = 1;

    /// <summary>Compute workers: one per core (each decodes and infers on its own thread, never blocking on I/O).</summary>
    /// <param name="cores">Logical processors available (<see cref="Environment.ProcessorCount"/>).</param>
    public static int DecodeWorkers(int cores) => Math.Max(1, cores);

    /// <summary>Images per worker batch: <see cref="DynamicBatchSize"/>, or for a fixed-batch model of N the smallest
    /// multiple of N that holds as many (N = 1: four Runs of one, in sequence).</summary>
    /// <param name="cores">Logical processors available (unused since every worker scores its own batch; kept so the
    /// rule can depend on the machine).</param>
    /// <param name="fixedBatch">The model's fixed batch size, or null when the batch dimension is dynamic.</param>
    public static int BatchSize(int cores, int? fixedBatch)
    {
        _ = cores;
        return fixedBatch is { } n and > 0 ? n * ((DynamicBatchSize + n - 1) / n) : DynamicBatchSize;
    }

    /// <summary>ONNX Runtime intra-op threads per <c>Run</c>: one, on the calling worker's thread.</summary>
    /// <param name="cores">Logical processors available.</param>
    /// <param name="fixedBatch">The model's fixed batch size, or null when the batch dimension is dynamic.</param>
    public static int IntraOpThreads(int cores, int? fixedBatch)
    {
        _ = (cores, fixedBatch);
        return 1;
    }

    /// <summary>
    /// Whether the pipeline's wake-ups (the sink stage woken by a compute worker, the fetch workers released by the
    /// refill gate) run on the thread that wakes them rather than on a thread-pool thread
    /// (<see cref="PipelineOptions.WakeInline"/>): true when CPU compute workers fill every core. A pool thread woken
    /// then takes a core from a compute worker anyway, and adds the wake-up, two context switches and the pool's
    /// spinning for more work (<c>sched_yield</c>: 30 % of the pool's CPU in a profile). Measured with <c>bench</c>
    /// (default model, 2 cores, tile server in another process, 4 alternating pairs): thread-pool work items 0.08 →
    /// 0.035 per tile, the CPU outside the compute workers 0.070–0.103 → 0.041–0.069 ms per tile (the sink's work now
    /// counts as the compute workers'), <c>cpuEfficiencyVsLimit</c> 0.898 → 0.915 (docs/performance.md). With a spare
    /// core, or a GPU that does the inference while its worker waits, a pool thread runs beside the workers instead.
    /// </summary>
    /// <param name="computeWorkers">Compute workers of the run.</param>
    /// <param name="cores">Logical processors available (<see cref="Environment.ProcessorCount"/>).</param>
    /// <param name="gpu">Whether the model runs on a GPU.</param>
    public static bool WakeInline(int computeWorkers, int cores, bool gpu) => !gpu && computeWorkers >= cores;

    /// <summary>
    /// HTTP requests to keep in flight so fetching hides its latency (Little's law): twice the requests that
    /// <paramref name="tilesPerSecond"/> needs over one <paramref name="latency"/>, plus four per core of slack for
    /// jitter, at least 16 and at most 1024.
    /// </summary>
    /// <param name="tilesPerSecond">Expected scoring rate (what decode and inference can do).</param>
    /// <param name="latency">Observed time per request (median).</param>
    /// <param name="cores">Logical processors available.</param>
    public static int FetchConcurrency(double tilesPerSecond, TimeSpan latency, int cores)
    {
        var inFlight = Math.Ceiling(2 * Math.Max(0, tilesPerSecond) * Math.Max(0, latency.TotalSeconds));
        return (int)Math.Clamp(inFlight + (4 * Math.Max(1, cores)), 16, 1024);
    }
}
