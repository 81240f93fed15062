using System.Globalization;
using System.Text;

namespace UrbanScore.Storage;

/// <summary>
/// Writes the store as <c>scores.csv</c>: one line per tile, row-major, every label's probability; beside it
/// <c>scores.csvt</c>, the column types in GDAL's CSV driver format (one line, Integer/Real/String per column), so OGR and
/// QGIS read z, x, y and attempts as integers and the scores as reals instead of strings.
/// </summary>
internal static class CsvExporter
{
    /// <summary>File name of the export inside an output folder.</summary>
    public const string FileName = "scores.csv";

    /// <summary>Writes the CSV atomically (streamed from the store), and its <c>.csvt</c> when the name ends with <c>.csv</c>.</summary>
    public static void Write(ScoreStore store, IReadOnlyList<string> labels, string path)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(labels);
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var types = "Integer,Integer,Integer,String,Real" + string.Concat(labels.Select(_ => ",Real")) + ",Integer,String\n";
            AtomicFile.Write(path + "t", temp => File.WriteAllText(temp, types, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)));
        }

        AtomicFile.Write(path, temp =>
        {
            using var writer = new StreamWriter(temp, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            writer.Write("z,x,y,status,score");
            foreach (var label in labels)
            {
                writer.Write(",p_");
                writer.Write(Escape(label));
            }

            writer.WriteLine(",attempts,reason");
            foreach (var tile in store.ReadAll())
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{tile.Tile.Zoom},{tile.Tile.Col},{tile.Tile.Row},{ScoreStore.StatusText(tile.Status)},"));
                if (!float.IsNaN(tile.Score))
                {
                    writer.Write(tile.Score.ToString("0.######", CultureInfo.InvariantCulture));
                }

                for (var i = 0; i < labels.Count; i++)
                {
                    writer.Write(',');
                    if (i < tile.LabelScores.Length)
                    {
                        writer.Write(tile.LabelScores[i].ToString("0.######", CultureInfo.InvariantCulture));
                    }
                }

                writer.Write(',');
                writer.Write(tile.Attempts.ToString(CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.WriteLine(tile.Reason is null ? string.Empty : Escape(tile.Reason));
            }
        });
    }

    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
