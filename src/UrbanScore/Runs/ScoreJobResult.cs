using UrbanScore.Pipeline;
using UrbanScore.Storage;

namespace UrbanScore.Runs;

/// <summary>What a <see cref="ScoreJob"/> produced.</summary>
/// <param name="Counts">Tile counts over the output folder's store.</param>
/// <param name="Pipeline">This invocation's pipeline counts and timing.</param>
/// <param name="ManifestPath">Path of run.json.</param>
public sealed record ScoreJobResult(RunCounts Counts, PipelineResult Pipeline, string ManifestPath);
