namespace UrbanScore.Tools.Benchmarking;

/// <summary>
/// One end-to-end run and the per-core limit measured on each side of it: the ratio of two rates taken a few seconds
/// apart, so a machine whose speed drifts (a shared host) moves both alike.
/// </summary>
/// <param name="LimitTilesPerSecond">The limit's measurements just before and just after the run, pooled.</param>
/// <param name="EndToEndTilesPerSecond">The run's pipeline rate.</param>
/// <param name="EfficiencyVsLimit">End to end ÷ limit.</param>
/// <param name="CpuMsPerTile">The run's process CPU per tile while its pipeline ran, in milliseconds.</param>
public sealed record BenchRound(double LimitTilesPerSecond, double EndToEndTilesPerSecond, double EfficiencyVsLimit, double CpuMsPerTile);
