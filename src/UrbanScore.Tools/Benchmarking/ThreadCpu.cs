namespace UrbanScore.Tools.Benchmarking;

/// <summary>CPU that one kind of thread spent while the end-to-end pipeline ran.</summary>
/// <param name="Threads">The kind: compute workers, thread pool, socket engine, JIT compiler or other.</param>
/// <param name="CpuMsPerTile">CPU time per tile, in milliseconds.</param>
public sealed record ThreadCpu(string Threads, double CpuMsPerTile);
