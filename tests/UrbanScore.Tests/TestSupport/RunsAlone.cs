namespace UrbanScore.Tests.TestSupport;

/// <summary>
/// Tests that run alone, after the parallel ones: heavy ones (packing and installing the tool keeps both cores busy
/// for half a minute) and timing- or process-sensitive ones (timeouts, signals, process-wide handle counts), so
/// neither disturbs the other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Runs alone";
}
