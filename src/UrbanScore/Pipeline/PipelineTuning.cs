namespace UrbanScore.Pipeline;

/// <summary>
/// Default stage sizes chosen from the machine and the model rather than fixed for one machine. The choices were
/// measured with <c>urbanscore bench</c> (docs/performance.md): decode workers and ONNX Runtime's intra-op threads
/// both get every core and time-share them (ORT spinning off, so a thread waiting for work yields its core to
/// decoding), dynamic-batch models run batches of <see cref="DynamicBatchSize"/>, fixed-batch models one
/// single-threaded <c>Run</c> per core.
/// </summary>
public static class PipelineTuning
{
    /// <summary>Batch size for dynamic-batch models on CPU: past 16 the per-tile cost stops falling (bench sweep).</summary>
    public const int DynamicBatchSize = 16;

    /// <summary>Decode workers: one per core (decoding is CPU work that never blocks).</summary>
    /// <param name="cores">Logical processors available (<see cref="Environment.ProcessorCount"/>).</param>
    public static int DecodeWorkers(int cores) => Math.Max(1, cores);

    /// <summary>Images per inference call: <see cref="DynamicBatchSize"/>, or for a fixed-batch model enough of its
    /// batches to keep one concurrent <c>Run</c> per core busy.</summary>
    /// <param name="cores">Logical processors available.</param>
    /// <param name="fixedBatch">The model's fixed batch size, or null when the batch dimension is dynamic.</param>
    public static int BatchSize(int cores, int? fixedBatch) =>
        fixedBatch is { } n ? n * Math.Max(2, 2 * cores) : DynamicBatchSize;

    /// <summary>ONNX Runtime intra-op threads per <c>Run</c>: every core for one dynamic-batch <c>Run</c> at a time;
    /// one per concurrent <c>Run</c> for fixed-batch models (which run one per core).</summary>
    /// <param name="cores">Logical processors available.</param>
    /// <param name="fixedBatch">The model's fixed batch size, or null when the batch dimension is dynamic.</param>
    public static int IntraOpThreads(int cores, int? fixedBatch) => fixedBatch is null ? Math.Max(1, cores) : 1;

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
