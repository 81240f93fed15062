using System.Globalization;
using System.Text;

namespace UrbanScore.Analysis;

/// <summary>What <c>urbanscore stats</c> reports: the threshold, one entry per region, and the run's total.</summary>
/// <param name="Threshold">A scored tile is urban when P ≥ this.</param>
/// <param name="Regions">One entry per region, in the order of the region set (empty without regions).</param>
/// <param name="Total">The whole run, every tile counted once with its full ground area.</param>
public sealed record UrbanStatisticsReport(double Threshold, IReadOnlyList<RegionStatistics> Regions, RegionStatistics Total)
{
    /// <summary>
    /// The report as JSON: <c>{"threshold", "regions": [{"name", "tiles", "scored", "urbanTiles", "urbanKm2",
    /// "expectedUrbanKm2", "meanScore"}], "total": {the same keys but name}}</c>; km² rounded to 6 decimals (1 m²).
    /// </summary>
    public string ToJson() => RegionReportJson.Write(Threshold, Regions, Total, s => s.Name, static (w, s) =>
    {
        w.WriteNumber("tiles", s.Tiles);
        w.WriteNumber("scored", s.Scored);
        w.WriteNumber("urbanTiles", s.UrbanTiles);
        w.WriteNumber("urbanKm2", Math.Round(s.UrbanKm2, 6));
        w.WriteNumber("expectedUrbanKm2", Math.Round(s.ExpectedUrbanKm2, 6));
        if (s.MeanScore is { } mean)
        {
            w.WriteNumber("meanScore", Math.Round(mean, 6));
        }
        else
        {
            w.WriteNull("meanScore");
        }
    });

    /// <summary>The report as CSV: a header, one line per region, and a last line named <c>total</c>.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder("name,tiles,scored,urbanTiles,urbanKm2,expectedUrbanKm2,meanScore\n");
        foreach (var region in Regions)
        {
            Line(text, Quote(region.Name ?? string.Empty), region);
        }

        Line(text, "total", Total);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, RegionStatistics s) =>
        text.Append(CultureInfo.InvariantCulture, $"{name},{s.Tiles},{s.Scored},{s.UrbanTiles},{Km2(s.UrbanKm2)},{Km2(s.ExpectedUrbanKm2)},{(s.MeanScore is { } m ? m.ToString("0.######", CultureInfo.InvariantCulture) : string.Empty)}\n");

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string Km2(double km2) => Math.Round(km2, 6).ToString("0.######", CultureInfo.InvariantCulture);
}
