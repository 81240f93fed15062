using UrbanScore.Analysis;
using UrbanScore.Runs;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// <c>demo --compare</c>: the demo world scored in two years, the comparison of the two runs, and the world's exact
/// truth over the same tiles (a tile is truly urban when at least half its pixels are urban fabric that year).
/// </summary>
/// <param name="BeforeYear">The earlier year.</param>
/// <param name="AfterYear">The later year.</param>
/// <param name="Before">The earlier run.</param>
/// <param name="After">The later run.</param>
/// <param name="Report">What <c>compare</c> measured from the scores.</param>
/// <param name="Truth">The same figures from the world's ground truth, over the tiles scored in both runs.</param>
public sealed record DemoComparison(int BeforeYear, int AfterYear, ScoreJobResult Before, ScoreJobResult After, ComparisonReport Report, RegionChange Truth);
