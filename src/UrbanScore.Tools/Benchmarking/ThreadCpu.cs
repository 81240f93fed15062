namespace UrbanScore.Tools.Benchmarking;

/// <summary>CPU that one kind of thread spent while the end-to-end pipeline ran.</summary>
/// <param name="Threads">The kind: compute workers, thread pool, socket engine, JIT compiler or other.</param>
/// <param name="CpuMsPerTile">CPU time per tile, in milliseconds.</param>
/// <param name="SlicesPerTile">
/// Times these threads were put on a CPU, per tile (Linux schedstat): each wake-up from a wait, and each return after
/// being preempted or yielding; a thread-pool thread spinning for work yields the core again and again. Null for the
/// compute workers, which may have ended before the pipeline's last outcome is counted (and whose CPU is therefore the
/// process's less the other kinds').
/// </param>
public sealed record ThreadCpu(string Threads, double CpuMsPerTile, double? SlicesPerTile = null);
