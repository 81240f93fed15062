using UrbanScore.Imaging;

namespace UrbanScore.Runs;

/// <summary>One image classified by <see cref="ImageClassifier"/>.</summary>
/// <param name="File">The image file.</param>
/// <param name="Status">Decoded, blank or invalid.</param>
/// <param name="Reason">Why it was not scored, or null.</param>
/// <param name="Scores">Every label's probability in the model's label order, or null when not scored.</param>
public sealed record ImageClassification(string File, DecodeStatus Status, string? Reason, IReadOnlyList<float>? Scores);
