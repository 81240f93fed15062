namespace UrbanScore.Tools.Benchmarking;

/// <summary>
/// One end-to-end run and the per-core limit measured on each side of it: the ratio of two rates taken a few seconds
/// apart, so a machine whose speed drifts (a shared host) moves both alike.
/// </summary>
/// <param name="LimitTilesPerSecond">The limit's measurements just before and just after the run, pooled.</param>
/// <param name="EndToEndTilesPerSecond">The run's pipeline rate.</param>
/// <param name="EfficiencyVsLimit">End to end ÷ limit.</param>
/// <param name="CpuMsPerTile">The run's process CPU per tile while its pipeline ran, in milliseconds.</param>
/// <param name="CpuEfficiencyVsLimit">The limit's CPU per tile (the same two measurements, pooled) ÷ the run's: the
/// share of this process's CPU that is the limit's work. With the tile server in another process (<c>--server</c>),
/// the pipeline's own figure, whatever that server takes from the cores.</param>
/// <param name="LimitBesideFetchVsLimit">The limit's CPU per tile (its measurement just after the run) ÷ the limit's
/// beside fetching (measured just after that): what fetching alone, with its server on these cores, leaves of the
/// limit. Null when the run did not fetch (<c>--from-memory</c>).</param>
/// <param name="CpuEfficiencyVsLimitBesideFetch">The limit beside fetching's CPU per tile ÷ the run's: the pipeline's
/// own share once fetching is paid. Null when the run did not fetch.</param>
public sealed record BenchRound(
    double LimitTilesPerSecond,
    double EndToEndTilesPerSecond,
    double EfficiencyVsLimit,
    double CpuMsPerTile,
    double CpuEfficiencyVsLimit,
    double? LimitBesideFetchVsLimit,
    double? CpuEfficiencyVsLimitBesideFetch);
