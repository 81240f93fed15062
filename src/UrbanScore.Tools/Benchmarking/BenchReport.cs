using System.Text.Json;
using System.Text.Json.Serialization;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>
/// What <see cref="BenchRunner"/> measured: the stages alone, the per-core limit, the end-to-end run, and the
/// pipeline efficiency against both the limit (end-to-end ÷ limit) and the ideal (end-to-end ÷ 1 / (1/decode +
/// 1/inference), the rate when both stages time-share the same cores perfectly). JSON keys (camelCase of the property
/// names) are stable.
/// </summary>
public sealed partial record BenchReport
{
    /// <summary>The machine.</summary>
    public required BenchMachine Machine { get; init; }

    /// <summary>The settings used.</summary>
    public required BenchSettings Settings { get; init; }

    /// <summary>Decode + resize + tensor fill alone, on every worker.</summary>
    public required StageThroughput Decode { get; init; }

    /// <summary>Inference alone on pre-filled tensors: every worker scoring its own batch, as the pipeline runs it.</summary>
    public required StageThroughput Inference { get; init; }

    /// <summary>
    /// The per-core limit: tiles held in memory, every worker decoding its own batch and scoring it on its own thread,
    /// no pipeline (no HTTP, no channels, no sinks). What this machine can do with this model; JSON key <c>limit</c>.
    /// <see cref="LimitRuns"/> pooled.
    /// </summary>
    public required StageThroughput Limit { get; init; }

    /// <summary>
    /// The measurements of <see cref="Limit"/>, one before the first end-to-end round and one after each round: their
    /// spread is how much the machine itself changed while the benchmark ran. JSON key <c>limitRuns</c>.
    /// </summary>
    public required IReadOnlyList<StageThroughput> LimitRuns { get; init; }

    /// <summary>
    /// The end-to-end rounds in order, each with the limit measured on either side of it. JSON key <c>rounds</c>.
    /// </summary>
    public required IReadOnlyList<BenchRound> Rounds { get; init; }

    /// <summary>
    /// What the pipeline (fetching, hand-offs, sinks) keeps of the limit: the median of the rounds' end-to-end ÷ limit
    /// (the mean of the middle two for an even count). Each round's ratio is of rates measured seconds apart, so on a
    /// shared machine whose speed drifts it is steadier than the ratio of the pooled figures.
    /// </summary>
    public required double EfficiencyVsLimit { get; init; }

    /// <summary>
    /// The median of the rounds' <see cref="BenchRound.CpuEfficiencyVsLimit"/>: the limit's CPU per tile ÷ this
    /// process's in the end-to-end run. Close to <see cref="EfficiencyVsLimit"/> when the tile server runs in this
    /// process; with <c>--server</c> it leaves that server's CPU out, which the rate cannot when it shares these cores.
    /// JSON key <c>cpuEfficiencyVsLimit</c>.
    /// </summary>
    public required double CpuEfficiencyVsLimit { get; init; }

    /// <summary>1 / (1/decode + 1/inference), tiles per second.</summary>
    public required double IdealTilesPerSecond { get; init; }

    /// <summary>
    /// HTTP fetching alone (client and the in-process tile server, at the run's fetch concurrency): CPU that the end-to-end
    /// run spends and <see cref="IdealTilesPerSecond"/> does not count. Null when not measured.
    /// </summary>
    public StageThroughput? Fetch { get; init; }

    /// <summary>1 / (1/decode + 1/inference + 1/fetch), fetch taken as its CPU cost (rate ÷ CPU utilisation): the
    /// ideal when the loopback HTTP work shares the cores too; null
    /// when <see cref="Fetch"/> was not measured.</summary>
    public double? IdealWithFetchTilesPerSecond { get; init; }

    /// <summary>End-to-end ÷ <see cref="IdealWithFetchTilesPerSecond"/>: the overlap's share of what is left once the
    /// in-process server's and client's CPU is paid; null when <see cref="Fetch"/> was not measured.</summary>
    public double? EfficiencyWithFetch { get; init; }

    /// <summary>
    /// 1 / (1/limit + 1/fetch), fetch taken as its CPU cost: the most the end-to-end run can reach on these cores while
    /// it also pays the loopback HTTP client and the in-process tile server; null when <see cref="Fetch"/> was not
    /// measured.
    /// </summary>
    public double? LimitWithFetchTilesPerSecond { get; init; }

    /// <summary>
    /// End-to-end ÷ <see cref="LimitWithFetchTilesPerSecond"/>: what the pipeline's own overheads (hand-offs, sinks,
    /// interference between threads) keep of that bound; null when <see cref="Fetch"/> was not measured.
    /// </summary>
    public double? EfficiencyVsLimitWithFetch { get; init; }

    /// <summary>
    /// The per-core limit with a pipeline's HTTP work beside it (one tile fetched and dropped per tile scored, at the
    /// run's fetch concurrency), measured after each round; pooled. The least CPU per tile any pipeline fetching from
    /// this server spends on this machine. Null when the rounds did not fetch (<see cref="BenchOptions.FromMemory"/>).
    /// </summary>
    public StageThroughput? LimitBesideFetch { get; init; }

    /// <summary>Each measurement of <see cref="LimitBesideFetch"/>, one per round; empty when the rounds did not fetch.</summary>
    public required IReadOnlyList<StageThroughput> LimitBesideFetchRuns { get; init; }

    /// <summary>Median over the rounds of <see cref="BenchRound.LimitBesideFetchVsLimit"/>: what fetching alone leaves
    /// of the limit, the ceiling of <see cref="CpuEfficiencyVsLimit"/> here. Null when the rounds did not fetch.</summary>
    public double? LimitBesideFetchVsLimit { get; init; }

    /// <summary>Median over the rounds of <see cref="BenchRound.CpuEfficiencyVsLimitBesideFetch"/>: the pipeline's own
    /// share once fetching is paid. Null when the rounds did not fetch.</summary>
    public double? CpuEfficiencyVsLimitBesideFetch { get; init; }

    /// <summary>The end-to-end round at the median of <see cref="Rounds"/> (the lower of the middle two for an even count).</summary>
    public required EndToEndFigures EndToEnd { get; init; }

    /// <summary>End-to-end ÷ ideal.</summary>
    public required double Efficiency { get; init; }

    /// <summary>Per-stage timings of the <see cref="EndToEnd"/> round.</summary>
    public required IReadOnlyList<StageTiming> Stages { get; init; }

    /// <summary>Facts that qualify the figures (shared machine, validation).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ReportJson.Default.BenchReport);

    /// <summary>
    /// The serializer, generated at build time: a native AOT publish has no code to make one at run time (records with
    /// a few value-typed constructor parameters, like <see cref="BenchRound"/>, failed there by reflection).
    /// </summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    [JsonSerializable(typeof(BenchReport))]
    internal sealed partial class ReportJson : JsonSerializerContext;
}
