namespace UrbanScore.Analysis;

/// <summary>One bin of a calibration (reliability) curve: tiles whose score lies in [Lower, Upper).</summary>
/// <param name="Lower">Lowest score of the bin (inclusive).</param>
/// <param name="Upper">Highest score of the bin (exclusive, inclusive for the last bin).</param>
/// <param name="Count">Tiles in the bin.</param>
/// <param name="MeanScore">Mean score of those tiles (NaN when the bin is empty).</param>
/// <param name="PositiveRate">Share of those tiles that are reference positives (NaN when the bin is empty).</param>
public readonly record struct CalibrationBin(double Lower, double Upper, long Count, double MeanScore, double PositiveRate);
