using UrbanScore.Pipeline;
using UrbanScore.Tiling;

namespace UrbanScore.Storage;

/// <summary>One row of the score store.</summary>
/// <param name="Tile">The tile.</param>
/// <param name="Status">Scored, empty or failed.</param>
/// <param name="Score">P(positive label), NaN unless scored.</param>
/// <param name="LabelScores">Every label's probability (model order), empty unless scored.</param>
/// <param name="Reason">Why empty or failed.</param>
/// <param name="Attempts">HTTP attempts over all runs.</param>
public sealed record StoredTile(TileIndex Tile, TileStatus Status, float Score, float[] LabelScores, string? Reason, int Attempts);
