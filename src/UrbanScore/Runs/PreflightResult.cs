using UrbanScore.Sources;

namespace UrbanScore.Runs;

/// <summary>What <see cref="SourcePreflight.RunAsync"/> found when the source can work.</summary>
/// <param name="Source">The source to run with: it answers the probed tiles from the preflight, then asks the server.</param>
/// <param name="Warnings">Warnings to show (every sampled tile 404, a failing server); each a full sentence.</param>
/// <param name="Summary">One line saying what was checked, secrets redacted.</param>
public sealed record PreflightResult(ITileSource Source, IReadOnlyList<string> Warnings, string Summary);
