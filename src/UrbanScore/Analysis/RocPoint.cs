namespace UrbanScore.Analysis;

/// <summary>One point of a ROC curve: predicting positive when the score is at least <paramref name="Threshold"/>.</summary>
/// <param name="Threshold">The score threshold (+∞ for the curve's start at the origin).</param>
/// <param name="FalsePositiveRate">Share of reference negatives predicted positive.</param>
/// <param name="TruePositiveRate">Share of reference positives predicted positive (recall).</param>
public readonly record struct RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);
