using System.Globalization;
using System.Text;
using System.Text.Json;

namespace UrbanScore.Analysis;

/// <summary>
/// How well a run's scores agree with reference labels: the confusion matrix and the figures derived from it at one
/// threshold (a tile is predicted positive when its score is at least the threshold), the threshold-free ROC-AUC,
/// the ROC curve and a calibration curve. Built by <see cref="BinaryMetrics.Compute"/> and <see cref="RunEvaluator"/>.
/// </summary>
public sealed record EvaluationReport
{
    /// <summary>Most points <see cref="Roc"/> keeps (the curve is thinned evenly beyond that; the AUC uses every score).</summary>
    public const int MaxRocPoints = 1001;

    /// <summary>Tiles evaluated: reference positives plus negatives that the run scored.</summary>
    public long Tiles => Positives + Negatives;

    /// <summary>Tiles whose reference label is the positive class.</summary>
    public required long Positives { get; init; }

    /// <summary>Tiles whose reference label is another of the model's labels (or outside the reference polygons).</summary>
    public required long Negatives { get; init; }

    /// <summary>Reference rows not evaluated because their label is none of the model's labels, or a repeat of a tile already read.</summary>
    public long Ignored { get; init; }

    /// <summary>Reference tiles the run has no score for (not in its area, or empty or failed there).</summary>
    public long Unscored { get; init; }

    /// <summary>The threshold of the confusion matrix: a score at least this is a positive prediction.</summary>
    public required double Threshold { get; init; }

    /// <summary>The counts at <see cref="Threshold"/>.</summary>
    public required ConfusionMatrix ConfusionMatrix { get; init; }

    /// <summary>Share of tiles predicted right; NaN without tiles.</summary>
    public double Accuracy => Ratio(ConfusionMatrix.TruePositives + ConfusionMatrix.TrueNegatives, Tiles);

    /// <summary>Share of positive predictions that are reference positives; NaN without positive predictions.</summary>
    public double Precision => Ratio(ConfusionMatrix.TruePositives, ConfusionMatrix.TruePositives + ConfusionMatrix.FalsePositives);

    /// <summary>Share of reference positives predicted positive (true positive rate); NaN without reference positives.</summary>
    public double Recall => Ratio(ConfusionMatrix.TruePositives, Positives);

    /// <summary>Harmonic mean of precision and recall: 2·TP / (2·TP + FP + FN); NaN when all three are 0.</summary>
    public double F1 => Ratio(2 * ConfusionMatrix.TruePositives, (2 * ConfusionMatrix.TruePositives) + ConfusionMatrix.FalsePositives + ConfusionMatrix.FalseNegatives);

    /// <summary>Area under the ROC curve (ties count half); NaN unless both classes are present.</summary>
    public required double RocAuc { get; init; }

    /// <summary>Mean squared difference between score and reference (1 positive, 0 negative); NaN without tiles.</summary>
    public required double Brier { get; init; }

    /// <summary>Expected calibration error: the tile-weighted mean of |mean score − positive rate| over <see cref="Calibration"/>.</summary>
    public double CalibrationError => Tiles == 0 ? double.NaN : Calibration.Where(b => b.Count > 0).Sum(b => b.Count * Math.Abs(b.MeanScore - b.PositiveRate)) / Tiles;

    /// <summary>The ROC curve from (0, 0) to (1, 1), one point per distinct score (thinned to <see cref="MaxRocPoints"/>).</summary>
    public required IReadOnlyList<RocPoint> Roc { get; init; }

    /// <summary>Ten equal-width score bins from 0 to 1.</summary>
    public required IReadOnlyList<CalibrationBin> Calibration { get; init; }

    /// <summary>The positive label(s), as the run names them (e.g. <c>city</c>).</summary>
    public string PositiveLabel { get; init; } = string.Empty;

    /// <summary>What the reference was, for people (e.g. "truth.csv (csv)").</summary>
    public string Reference { get; init; } = string.Empty;

    /// <summary>A readable summary of several lines, ending with a line break.</summary>
    public string Describe()
    {
        var m = ConfusionMatrix;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"reference {Reference}: {Tiles} tiles evaluated ({Positives} {PositiveLabel}, {Negatives} other), {Ignored} rows ignored (label not the model's, or repeated), {Unscored} reference tiles not scored in the run\n");
        text.Append(CultureInfo.InvariantCulture, $"at threshold {Threshold:0.###} (score >= threshold is {PositiveLabel}):\n");
        text.Append(CultureInfo.InvariantCulture, $"  accuracy  {Percent(Accuracy)}\n  precision {Percent(Precision)}\n  recall    {Percent(Recall)}\n  F1        {Fixed(F1)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  confusion matrix        predicted {PositiveLabel,-10} predicted other\n");
        text.Append(CultureInfo.InvariantCulture, $"    reference {PositiveLabel,-10}  {m.TruePositives,18} {m.FalseNegatives,15}\n");
        text.Append(CultureInfo.InvariantCulture, $"    reference other       {m.FalsePositives,18} {m.TrueNegatives,15}\n");
        text.Append(CultureInfo.InvariantCulture, $"threshold-free: ROC-AUC {Fixed(RocAuc)}, Brier score {Fixed(Brier)}, calibration error {Fixed(CalibrationError)}\n");
        return text.ToString();
    }

    /// <summary>
    /// The report as one JSON document: <c>tiles</c>, <c>positives</c>, <c>negatives</c>, <c>ignored</c>,
    /// <c>accuracy</c>, <c>precision</c>, <c>recall</c>, <c>f1</c>, <c>rocAuc</c> and <c>confusionMatrix</c> at the top
    /// level, then <c>unscored</c>, <c>threshold</c>, <c>positiveLabel</c>, <c>reference</c>, <c>brier</c>,
    /// <c>calibrationError</c>, <c>roc</c> and <c>calibration</c>. Undefined figures (NaN) are <c>null</c>.
    /// </summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("tiles", Tiles);
            json.WriteNumber("positives", Positives);
            json.WriteNumber("negatives", Negatives);
            json.WriteNumber("ignored", Ignored);
            Number(json, "accuracy", Accuracy);
            Number(json, "precision", Precision);
            Number(json, "recall", Recall);
            Number(json, "f1", F1);
            Number(json, "rocAuc", RocAuc);
            json.WriteStartObject("confusionMatrix");
            json.WriteNumber("truePositives", ConfusionMatrix.TruePositives);
            json.WriteNumber("falsePositives", ConfusionMatrix.FalsePositives);
            json.WriteNumber("falseNegatives", ConfusionMatrix.FalseNegatives);
            json.WriteNumber("trueNegatives", ConfusionMatrix.TrueNegatives);
            json.WriteEndObject();
            json.WriteNumber("unscored", Unscored);
            json.WriteNumber("threshold", Threshold);
            json.WriteString("positiveLabel", PositiveLabel);
            json.WriteString("reference", Reference);
            Number(json, "brier", Brier);
            Number(json, "calibrationError", CalibrationError);
            json.WriteStartArray("roc");
            foreach (var p in Roc)
            {
                json.WriteStartObject();
                Number(json, "threshold", double.IsInfinity(p.Threshold) ? double.NaN : p.Threshold);
                json.WriteNumber("fpr", p.FalsePositiveRate);
                json.WriteNumber("tpr", p.TruePositiveRate);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("calibration");
            foreach (var b in Calibration)
            {
                json.WriteStartObject();
                json.WriteNumber("lower", b.Lower);
                json.WriteNumber("upper", b.Upper);
                json.WriteNumber("count", b.Count);
                Number(json, "meanScore", b.MeanScore);
                Number(json, "positiveRate", b.PositiveRate);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;

    private static string Percent(double value) => double.IsNaN(value) ? "undefined" : value.ToString("P2", CultureInfo.InvariantCulture);

    private static string Fixed(double value) => double.IsNaN(value) ? "undefined" : value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
