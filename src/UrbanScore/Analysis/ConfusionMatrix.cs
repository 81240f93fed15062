namespace UrbanScore.Analysis;

/// <summary>Counts of a binary prediction against reference labels at one threshold.</summary>
/// <param name="TruePositives">Reference positive, predicted positive.</param>
/// <param name="FalsePositives">Reference negative, predicted positive.</param>
/// <param name="FalseNegatives">Reference positive, predicted negative.</param>
/// <param name="TrueNegatives">Reference negative, predicted negative.</param>
public readonly record struct ConfusionMatrix(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>All four counts together.</summary>
    public long Total => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;
}
