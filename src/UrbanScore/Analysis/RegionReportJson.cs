using System.Text;
using System.Text.Json;

namespace UrbanScore.Analysis;

/// <summary>
/// The JSON shape the region reports share (<see cref="UrbanStatisticsReport"/>, <see cref="ComparisonReport"/>):
/// <c>{"threshold", "regions": [{"name", figures…}], "total": {figures…}}</c>, indented; each report writes its figures.
/// </summary>
internal static class RegionReportJson
{
    /// <param name="threshold">A scored tile is urban when P ≥ this.</param>
    /// <param name="regions">The regions, in the order of the region set.</param>
    /// <param name="total">The total (written without a name).</param>
    /// <param name="name">A region's name.</param>
    /// <param name="figures">Writes a region's figures into its open object.</param>
    public static string Write<T>(double threshold, IReadOnlyList<T> regions, T total, Func<T, string?> name, Action<Utf8JsonWriter, T> figures)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("threshold", threshold);
            w.WriteStartArray("regions");
            foreach (var region in regions)
            {
                w.WriteStartObject();
                w.WriteString("name", name(region));
                figures(w, region);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WritePropertyName("total");
            w.WriteStartObject();
            figures(w, total);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
