using UrbanScore.Rendering;
using UrbanScore.Storage;

namespace UrbanScore.Runs;

/// <summary><c>urbanscore export</c>: writes the store of an output folder as CSV or GeoJSON.</summary>
public static class RunExporter
{
    /// <summary>Formats accepted by <see cref="Export"/>.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["csv", "geojson"];

    /// <summary>Exports the store of <paramref name="outputFolder"/>; returns the path written.</summary>
    /// <param name="outputFolder">A folder written by <c>urbanscore score</c>.</param>
    /// <param name="format"><c>csv</c> or <c>geojson</c>.</param>
    /// <param name="file">Target file, or null for scores.csv / scores.geojson in the output folder.</param>
    /// <exception cref="UrbanScoreException">No store, unknown format, or a GeoJSON export of a run that never reached its product step.</exception>
    public static string Export(string outputFolder, string format, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        using var store = ScoreStore.OpenExisting(outputFolder);
        var labels = store.ReadIdentity().Labels;
        switch (format.ToLowerInvariant())
        {
            case "csv":
                var csv = file ?? Path.Combine(outputFolder, CsvExporter.FileName);
                CsvExporter.Write(store, labels, csv);
                return csv;
            case "geojson":
                var geojson = file ?? Path.Combine(outputFolder, GeoJsonExporter.FileName);
                GeoJsonExporter.Write(store, ProductSettings.Load(store).MatrixSet, labels, geojson);
                return geojson;
            default:
                throw new UrbanScoreException($"Unknown export format '{format}'; use csv or geojson.");
        }
    }
}
