using UrbanScore.Analysis;

namespace UrbanScore.Tests.Analysis;

public sealed class BinaryMetricsTests
{
    // Eight tiles worked by hand. At threshold 0.5 (score >= 0.5 is positive): predicted positive 0.9 0.8 0.7 0.6 0.5,
    // of which 0.9 0.8 0.6 are positives (TP 3) and 0.7 0.5 negatives (FP 2); 0.4 is a missed positive (FN 1),
    // 0.3 0.2 are true negatives (TN 2).
    private static readonly float[] s_scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f];
    private static readonly bool[] s_truths = [true, true, false, true, false, true, false, false];

    [Fact]
    public void Compute_HandWorkedCase_MatchesHandFigures()
    {
        var report = BinaryMetrics.Compute(s_scores, s_truths, threshold: 0.5);

        Assert.Equal(new ConfusionMatrix(TruePositives: 3, FalsePositives: 2, FalseNegatives: 1, TrueNegatives: 2), report.ConfusionMatrix);
        Assert.Equal(4, report.Positives);
        Assert.Equal(4, report.Negatives);
        Assert.Equal(8, report.Tiles);
        Assert.Equal(5.0 / 8, report.Accuracy, 12);
        Assert.Equal(3.0 / 5, report.Precision, 12);
        Assert.Equal(3.0 / 4, report.Recall, 12);
        Assert.Equal(2 * 0.6 * 0.75 / (0.6 + 0.75), report.F1, 12);

        // Positive > negative pairs: 0.9 beats 4, 0.8 beats 4, 0.6 beats 3, 0.4 beats 2 → 13 of 16.
        Assert.Equal(13.0 / 16, report.RocAuc, 12);

        // (0.1² + 0.2² + 0.7² + 0.4² + 0.5² + 0.6² + 0.3² + 0.2²) / 8 = 1.44 / 8.
        Assert.Equal(0.18, report.Brier, 6);

        // Bins [0.2,0.3) [0.3,0.4) ... [0.9,1]: one tile each, positive rate 0 or 1.
        Assert.Equal([0, 0, 1, 1, 1, 1, 1, 1, 1, 1], report.Calibration.Select(b => b.Count));
        Assert.Equal(0.0, report.Calibration[7].PositiveRate); // 0.7 is a negative
        Assert.Equal(1.0, report.Calibration[9].PositiveRate);
        Assert.Equal(0.9, report.Calibration[9].MeanScore, 6);
    }

    [Fact]
    public void Compute_ThresholdAboveEveryScore_PrecisionUndefinedRecallZero()
    {
        var report = BinaryMetrics.Compute(s_scores, s_truths, threshold: 0.95);

        Assert.Equal(new ConfusionMatrix(TruePositives: 0, FalsePositives: 0, FalseNegatives: 4, TrueNegatives: 4), report.ConfusionMatrix);
        Assert.True(double.IsNaN(report.Precision));
        Assert.Equal(0.0, report.Recall);
        Assert.Equal(0.0, report.F1);
        Assert.Equal(13.0 / 16, report.RocAuc, 12);
    }

    [Fact]
    public void RocAuc_RandomScoresWithTies_EqualsPairwiseMannWhitney()
    {
        var random = new Random(1234);
        for (var round = 0; round < 20; round++)
        {
            var n = random.Next(2, 400);

            // Scores on a coarse grid so that many tie, some between a positive and a negative.
            var scores = Enumerable.Range(0, n).Select(_ => random.Next(0, 21) / 20f).ToArray();
            var truths = scores.Select(s => random.NextDouble() < 0.3 + (0.4 * s)).ToArray();

            var expected = PairwiseMannWhitney(scores, truths);
            var actual = BinaryMetrics.RocAuc(scores, truths);

            if (double.IsNaN(expected))
            {
                Assert.True(double.IsNaN(actual));
            }
            else
            {
                Assert.Equal(expected, actual, 12);
            }
        }
    }

    [Fact]
    public void Compute_RocCurve_MonotoneFromOriginToOneOne()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 3000).Select(_ => (float)random.NextDouble()).ToArray();
        var truths = scores.Select(s => random.NextDouble() < s).ToArray();

        var report = BinaryMetrics.Compute(scores, truths, 0.5);

        Assert.Equal(EvaluationReport.MaxRocPoints, report.Roc.Count);
        Assert.Equal((0.0, 0.0), (report.Roc[0].FalsePositiveRate, report.Roc[0].TruePositiveRate));
        Assert.Equal((1.0, 1.0), (report.Roc[^1].FalsePositiveRate, report.Roc[^1].TruePositiveRate));
        for (var i = 1; i < report.Roc.Count; i++)
        {
            Assert.True(report.Roc[i].FalsePositiveRate >= report.Roc[i - 1].FalsePositiveRate);
            Assert.True(report.Roc[i].TruePositiveRate >= report.Roc[i - 1].TruePositiveRate);
            Assert.True(report.Roc[i].Threshold <= report.Roc[i - 1].Threshold);
        }

        // Scores drawn so that P(positive | s) = s: well calibrated, and AUC = ∫∫_{a>b} 2a · 2(1 − b) = 5/6 in expectation.
        Assert.InRange(report.RocAuc, 5.0 / 6 - 0.03, 5.0 / 6 + 0.03);
        Assert.InRange(report.CalibrationError, 0, 0.05);
    }

    [Fact]
    public void RocAuc_OneClassOnly_IsNaN()
    {
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc([0.2f, 0.7f], [true, true])));
        Assert.Empty(BinaryMetrics.Compute([0.2f, 0.7f], [false, false], 0.5).Roc);
    }

    /// <summary>The textbook definition, independent of the implementation: over every (positive, negative) pair, 1 when the positive scores higher, ½ on a tie.</summary>
    private static double PairwiseMannWhitney(float[] scores, bool[] truths)
    {
        double wins = 0;
        long pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (!truths[i])
            {
                continue;
            }

            for (var j = 0; j < scores.Length; j++)
            {
                if (truths[j])
                {
                    continue;
                }

                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }

        return pairs == 0 ? double.NaN : wins / pairs;
    }
}
