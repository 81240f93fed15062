using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace UrbanScore.Benchmarks;

/// <summary>
/// Shared configuration: MemoryDiagnoser on every benchmark (allocations per operation are a target: zero per tile on
/// the decode → tensor → inference path). Jobs come from the command line (<c>--job short</c> for a quick run; the
/// default job otherwise); <see cref="ShortJob"/> and <see cref="FullJob"/> name them for code.
/// </summary>
public sealed class Config : ManualConfig
{
    public Config()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        WithOptions(ConfigOptions.JoinSummary);
    }

    /// <summary>Three warm-ups, three iterations: figures within about ±10%.</summary>
    public static Job ShortJob { get; } = Job.ShortRun;

    /// <summary>BenchmarkDotNet's default: as many iterations as needed for stable figures.</summary>
    public static Job FullJob { get; } = Job.Default;
}
