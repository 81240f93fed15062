namespace UrbanScore.Tools.Benchmarking;

/// <summary>Distribution of one per-tile or per-batch timing of the end-to-end run (milliseconds).</summary>
/// <param name="Stage">What was timed, e.g. "fetch" or "inference (per batch)".</param>
/// <param name="Count">Number of timings.</param>
/// <param name="MeanMs">Mean.</param>
/// <param name="P50Ms">Median (±10%: log buckets).</param>
/// <param name="P95Ms">95th percentile (±10%).</param>
/// <param name="TotalSeconds">Sum of all timings: for a stage on one task, its busy time.</param>
public sealed record StageTiming(string Stage, long Count, double MeanMs, double P50Ms, double P95Ms, double TotalSeconds);
