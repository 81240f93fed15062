namespace UrbanScore.Analysis;

/// <summary>Binary-classification figures of scores against reference labels (the arithmetic of <see cref="EvaluationReport"/>).</summary>
public static class BinaryMetrics
{
    /// <summary>Bins of the calibration curve (equal width over 0..1).</summary>
    public const int CalibrationBins = 10;

    /// <summary>Evaluates <paramref name="scores"/> against <paramref name="truths"/> (same order).</summary>
    /// <param name="scores">Scores in 0..1 (P of the positive class).</param>
    /// <param name="truths">Reference labels: true = positive class.</param>
    /// <param name="threshold">A score at least this is a positive prediction.</param>
    /// <returns>The report (<see cref="EvaluationReport.Ignored"/> and <see cref="EvaluationReport.Unscored"/> 0).</returns>
    public static EvaluationReport Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> truths, double threshold)
    {
        if (scores.Length != truths.Length)
        {
            throw new ArgumentException("scores and truths differ in length.", nameof(truths));
        }

        long tp = 0, fp = 0, fn = 0, tn = 0;
        var brier = 0.0;
        var count = new long[CalibrationBins];
        var scoreSum = new double[CalibrationBins];
        var positiveSum = new long[CalibrationBins];
        for (var i = 0; i < scores.Length; i++)
        {
            var predicted = scores[i] >= threshold;
            var truth = truths[i];
            _ = (predicted, truth) switch
            {
                (true, true) => tp++,
                (true, false) => fp++,
                (false, true) => fn++,
                _ => tn++,
            };
            var error = scores[i] - (truth ? 1.0 : 0.0);
            brier += error * error;
            var bin = Math.Clamp((int)(scores[i] * CalibrationBins), 0, CalibrationBins - 1);
            count[bin]++;
            scoreSum[bin] += scores[i];
            positiveSum[bin] += truth ? 1 : 0;
        }

        var calibration = new CalibrationBin[CalibrationBins];
        for (var b = 0; b < CalibrationBins; b++)
        {
            calibration[b] = new CalibrationBin(
                Lower: (double)b / CalibrationBins,
                Upper: (double)(b + 1) / CalibrationBins,
                Count: count[b],
                MeanScore: count[b] == 0 ? double.NaN : scoreSum[b] / count[b],
                PositiveRate: count[b] == 0 ? double.NaN : (double)positiveSum[b] / count[b]);
        }

        var (roc, auc) = RocCurve(scores, truths);
        return new EvaluationReport
        {
            Positives = tp + fn,
            Negatives = fp + tn,
            Threshold = threshold,
            ConfusionMatrix = new ConfusionMatrix(TruePositives: tp, FalsePositives: fp, FalseNegatives: fn, TrueNegatives: tn),
            RocAuc = auc,
            Brier = scores.Length == 0 ? double.NaN : brier / scores.Length,
            Roc = roc,
            Calibration = calibration,
        };
    }

    /// <summary>
    /// ROC-AUC: the probability that a random positive scores above a random negative, ties counting half (the
    /// Mann–Whitney U statistic over P·N), computed as the trapezoid area under the exact ROC curve. NaN unless both
    /// classes are present.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> truths) => RocCurve(scores, truths).Auc;

    private static (RocPoint[] Curve, double Auc) RocCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> truths)
    {
        var n = scores.Length;
        var keys = scores.ToArray();
        var labels = truths.ToArray();
        Array.Sort(keys, labels);
        long positives = labels.LongCount(t => t);
        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return ([], double.NaN);
        }

        // Sweep the threshold down through the distinct scores (highest first); each group of equal scores moves the
        // curve diagonally, which is what gives ties half credit in the trapezoid.
        var points = new List<RocPoint> { new(Threshold: double.PositiveInfinity, FalsePositiveRate: 0, TruePositiveRate: 0) };
        long tp = 0, fp = 0;
        var area2 = 0.0; // twice the area, in units of (1/N)·(1/P)
        for (var end = n - 1; end >= 0;)
        {
            var start = end;
            while (start > 0 && keys[start - 1] == keys[end])
            {
                start--;
            }

            long groupTp = 0, groupFp = 0;
            for (var k = start; k <= end; k++)
            {
                _ = labels[k] ? groupTp++ : groupFp++;
            }

            area2 += groupFp * ((2.0 * tp) + groupTp);
            tp += groupTp;
            fp += groupFp;
            points.Add(new RocPoint(Threshold: keys[end], FalsePositiveRate: (double)fp / negatives, TruePositiveRate: (double)tp / positives));
            end = start - 1;
        }

        return (Thin(points), area2 / (2.0 * positives * negatives));
    }

    private static RocPoint[] Thin(List<RocPoint> points)
    {
        if (points.Count <= EvaluationReport.MaxRocPoints)
        {
            return [.. points];
        }

        var result = new RocPoint[EvaluationReport.MaxRocPoints];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = points[(int)((long)i * (points.Count - 1) / (result.Length - 1))];
        }

        return result;
    }
}
