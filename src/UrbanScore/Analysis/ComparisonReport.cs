namespace UrbanScore.Analysis;

/// <summary>What <c>urbanscore compare</c> reports (stdout, <c>--json</c> and <c>change.json</c>).</summary>
/// <param name="Threshold">A scored tile is urban when P ≥ this.</param>
/// <param name="Regions">One entry per region, in the order of the region set (empty without regions).</param>
/// <param name="Total">Every tile scored in both runs.</param>
/// <param name="Outputs">Files written into the output folder, relative to it.</param>
public sealed record ComparisonReport(double Threshold, IReadOnlyList<RegionChange> Regions, RegionChange Total, IReadOnlyList<string> Outputs)
{
    /// <summary>File name of the JSON report inside the output folder.</summary>
    public const string FileName = "change.json";

    /// <summary>
    /// <c>{"threshold", "regions": [{"name", "tiles", "urbanKm2Before", "urbanKm2After", "gainedUrbanKm2",
    /// "lostUrbanKm2"}], "total": {the same keys but name}}</c>; km² rounded to 6 decimals.
    /// </summary>
    public string ToJson() => RegionReportJson.Write(Threshold, Regions, Total, c => c.Name, static (w, c) =>
    {
        w.WriteNumber("tiles", c.Tiles);
        w.WriteNumber("urbanKm2Before", Math.Round(c.UrbanKm2Before, 6));
        w.WriteNumber("urbanKm2After", Math.Round(c.UrbanKm2After, 6));
        w.WriteNumber("gainedUrbanKm2", Math.Round(c.GainedUrbanKm2, 6));
        w.WriteNumber("lostUrbanKm2", Math.Round(c.LostUrbanKm2, 6));
    });
}
