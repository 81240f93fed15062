namespace UrbanScore.Tools.Benchmarking;

/// <summary>The end-to-end run: HTTP → decode → batch → inference → score store and heatmap tiles (a real
/// <see cref="Runs.ScoreJob"/> into a temporary folder).</summary>
/// <param name="TilesPerSecond">Tiles per second through the pipeline (fetch to sinks).</param>
/// <param name="Tiles">Tiles with an outcome.</param>
/// <param name="Scored">Tiles scored.</param>
/// <param name="Failed">Tiles that failed (should be 0).</param>
/// <param name="PipelineSeconds">Wall time of the pipeline.</param>
/// <param name="JobSeconds">Wall time of the whole job, including the products (CSV, GeoTIFFs, run.json).</param>
/// <param name="Batches">Inference calls.</param>
/// <param name="CpuUtilisation">Process CPU time ÷ (pipeline wall time × cores) while the pipeline ran.</param>
/// <param name="PeakRssMiB">Largest resident set size sampled while the pipeline ran, in MiB.</param>
/// <param name="CpuMsPerTile">Process CPU time per tile while the pipeline ran, in milliseconds.</param>
/// <param name="PeakRssJobMiB">Kernel's peak resident set size over the job (Linux VmHWM, reset before it), in MiB.</param>
/// <param name="CpuByThread">
/// <see cref="CpuMsPerTile"/> split by kind of thread (Linux; empty elsewhere): the compute workers (what the per-core
/// limit also spends), and the rest, which the limit does not pay: the thread pool (HTTP client, the in-process tile
/// server, the sinks), the socket engine's event loop, the JIT compiler and the runtime's other threads.
/// </param>
/// <param name="AllocatedBytesPerTile">
/// Managed memory allocated by the whole process while the pipeline ran, per tile, in bytes
/// (<see cref="GC.GetTotalAllocatedBytes"/>): the HTTP client, the sinks, the pipeline's bookkeeping, and the tile
/// server's when it runs in this process. The decode → tensor → inference path itself allocates nothing per tile.
/// </param>
/// <param name="Gen0Collections">Garbage collections of generation 0 (and above) while the pipeline ran.</param>
/// <param name="PoolWorkItemsPerTile">
/// Thread-pool work items completed while the pipeline ran, per tile (<see cref="ThreadPool.CompletedWorkItemCount"/>):
/// continuations of the fetch workers and the sink, the benchmark's own sampling timer (40 a second), and the tile
/// server's requests when it runs in this process. Each may cost a pool thread's wake-up or spin beside the compute
/// workers.
/// </param>
public sealed record EndToEndFigures(
    double TilesPerSecond,
    long Tiles,
    long Scored,
    long Failed,
    double PipelineSeconds,
    double JobSeconds,
    long Batches,
    double CpuUtilisation,
    double CpuMsPerTile,
    double PeakRssMiB,
    double PeakRssJobMiB,
    IReadOnlyList<ThreadCpu> CpuByThread,
    double AllocatedBytesPerTile,
    int Gen0Collections,
    double PoolWorkItemsPerTile);
