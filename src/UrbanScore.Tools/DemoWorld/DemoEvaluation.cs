using UrbanScore.Analysis;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// How well scores agree with the demo world's ground truth: accuracy at P = 0.5 and ROC-AUC (the probability that
/// a random urban tile scores above a random non-urban one; Mann–Whitney U with average ranks for ties).
/// </summary>
/// <param name="Tiles">Tiles evaluated.</param>
/// <param name="Urban">Tiles whose ground truth is urban.</param>
/// <param name="Accuracy">Share of tiles where (score &gt; 0.5) equals the ground truth.</param>
/// <param name="RocAuc">ROC-AUC, or NaN when only one class is present.</param>
public sealed record DemoEvaluation(int Tiles, int Urban, double Accuracy, double RocAuc)
{
    /// <summary>Evaluates scores against truths (same order).</summary>
    public static DemoEvaluation Compute(IReadOnlyList<float> scores, IReadOnlyList<bool> truths)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(truths);
        var n = scores.Count;
        var correct = 0;
        var positives = 0;
        for (var i = 0; i < n; i++)
        {
            positives += truths[i] ? 1 : 0;
            correct += (scores[i] > 0.5f) == truths[i] ? 1 : 0;
        }

        var auc = BinaryMetrics.RocAuc([.. scores], [.. truths]);
        return new DemoEvaluation(n, positives, n == 0 ? double.NaN : (double)correct / n, auc);
    }
}
