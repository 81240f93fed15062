namespace UrbanScore.Tests.Packaging;

/// <summary>
/// Packing, installing and running the tool keeps both cores busy for half a minute; it runs alone, after the
/// parallel tests, so timing-sensitive tests (rate limits, timeouts) never share the machine with it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Packaging (runs alone)";
}
