using UrbanScore.Tiling;

namespace UrbanScore.Pipeline;

/// <summary>What the pipeline concluded for one tile: handed to the sinks.</summary>
/// <param name="Tile">The tile.</param>
/// <param name="Status">Scored, empty or failed.</param>
/// <param name="Score">P(positive label) when scored, NaN otherwise.</param>
/// <param name="LabelScores">Every label's probability in the model's label order when scored, empty otherwise. A
/// slice of a per-batch array: copy it if you keep it beyond the sink call.</param>
/// <param name="Kind">Why the tile is empty or failed, as a fixed word (<see cref="FailureKind.None"/> when scored).</param>
/// <param name="Reason">Why the tile is empty or failed, for people, or null.</param>
/// <param name="Attempts">HTTP attempts made for the tile.</param>
public readonly record struct TileOutcome(TileIndex Tile, TileStatus Status, float Score, ReadOnlyMemory<float> LabelScores, FailureKind Kind, string? Reason, int Attempts);
