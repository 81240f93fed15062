using UrbanScore.Storage;

namespace UrbanScore.Runs;

/// <summary>
/// What run.json says about a run beyond its identity and outputs: how it was started, over what area, with what
/// counts and timings. <see cref="RunOutputs"/> turns it into the manifest, for a run and a merge alike.
/// </summary>
internal sealed class RunRecord
{
    public string? Command { get; init; }

    public required string Model { get; init; }

    public required int Zoom { get; init; }

    public string? Area { get; init; }

    public required double[] Bbox { get; init; }

    public required RunCounts Counts { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public required double WallSeconds { get; init; }

    public required double TilesPerSecond { get; init; }

    public double? PeakRssMiB { get; init; }
}
