using System.Globalization;
using Microsoft.Data.Sqlite;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// Packs the heatmap pyramid (<c>heatmap/{z}/{x}/{y}.png</c>, web mercator only) into <c>heatmap.mbtiles</c>
/// (MBTiles 1.3: <c>metadata</c> and <c>tiles</c> tables, rows in TMS order, i.e. <c>tile_row = 2^z − 1 − y</c>).
/// Tiles are copied one at a time in a fixed order (level, column, row ascending) into a fresh file, so the same
/// pyramid always gives the same bytes; the file is built under a temporary name and renamed.
/// </summary>
internal static class MbTilesWriter
{
    public const string FileName = "heatmap.mbtiles";

    /// <summary>Writes the MBTiles; returns the number of tiles.</summary>
    public static long Write(string outputFolder, HeatmapLayerInfo layer, CancellationToken cancellationToken) =>
        Write(Path.Combine(outputFolder, HeatmapTileWriter.FolderName), Path.Combine(outputFolder, FileName), layer, cancellationToken);

    /// <summary>Packs the pyramid under <paramref name="tileFolder"/> ({z}/{x}/{y}.png) into <paramref name="path"/>; returns the number of tiles.</summary>
    public static long Write(string tileFolder, string path, HeatmapLayerInfo layer, CancellationToken cancellationToken)
    {
        long count = 0;
        AtomicFile.Write(path, temp =>
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = temp, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using (var create = connection.CreateCommand())
            {
                create.CommandText = """
                    PRAGMA journal_mode=DELETE;
                    CREATE TABLE metadata(name TEXT, value TEXT);
                    CREATE UNIQUE INDEX metadata_name ON metadata(name);
                    CREATE TABLE tiles(zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
                    CREATE UNIQUE INDEX tile_index ON tiles(zoom_level, tile_column, tile_row);
                    """;
                create.ExecuteNonQuery();
            }

            using var transaction = connection.BeginTransaction();
            using (var meta = connection.CreateCommand())
            {
                meta.Transaction = transaction;
                meta.CommandText = "INSERT INTO metadata(name, value) VALUES($name, $value)";
                var name = meta.Parameters.Add(new SqliteParameter { ParameterName = "$name" });
                var value = meta.Parameters.Add(new SqliteParameter { ParameterName = "$value" });
                foreach (var (k, v) in Metadata(layer))
                {
                    name.Value = k;
                    value.Value = v;
                    meta.ExecuteNonQuery();
                }
            }

            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO tiles(zoom_level, tile_column, tile_row, tile_data) VALUES($z, $x, $y, $data)";
            var z = insert.Parameters.Add(new SqliteParameter { ParameterName = "$z" });
            var x = insert.Parameters.Add(new SqliteParameter { ParameterName = "$x" });
            var y = insert.Parameters.Add(new SqliteParameter { ParameterName = "$y" });
            var data = insert.Parameters.Add(new SqliteParameter { ParameterName = "$data" });
            for (var level = layer.MinZoom; level <= layer.MaxZoom; level++)
            {
                var levelFolder = Path.Combine(tileFolder, level.ToString(CultureInfo.InvariantCulture));
                foreach (var (col, colFolder) in NumberedEntries(levelFolder, directories: true))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    foreach (var (row, file) in NumberedEntries(colFolder, directories: false))
                    {
                        z.Value = level;
                        x.Value = col;
                        y.Value = (1L << level) - 1 - row;
                        data.Value = File.ReadAllBytes(file);
                        insert.ExecuteNonQuery();
                        count++;
                    }
                }
            }

            transaction.Commit();
        });
        return count;
    }

    /// <summary>The MBTiles 1.3 metadata rows, in a fixed order.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> Metadata(HeatmapLayerInfo layer) =>
    [
        new("name", layer.Name),
        new("format", "png"),
        new("type", "overlay"),
        new("version", "1.0"),
        new("description", layer.Description),
        new("attribution", layer.Attribution),
        new("bounds", string.Create(CultureInfo.InvariantCulture, $"{layer.West:R},{layer.South:R},{layer.East:R},{layer.North:R}")),
        new("center", string.Create(CultureInfo.InvariantCulture, $"{layer.CenterLon:R},{layer.CenterLat:R},{layer.CenterZoom}")),
        new("minzoom", layer.MinZoom.ToString(CultureInfo.InvariantCulture)),
        new("maxzoom", layer.MaxZoom.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>Entries named by a number (folders "123", files "456.png"), sorted numerically.</summary>
    private static List<(long Number, string Path)> NumberedEntries(string folder, bool directories)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var entries = directories ? Directory.EnumerateDirectories(folder) : Directory.EnumerateFiles(folder, "*.png");
        var result = new List<(long, string)>();
        foreach (var entry in entries)
        {
            var name = directories ? Path.GetFileName(entry) : Path.GetFileNameWithoutExtension(entry);
            if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                result.Add((number, entry));
            }
        }

        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    /// <summary>Whether MBTiles applies: web mercator XYZ levels only.</summary>
    public static bool Applies(TileMatrixSet set) => set.IsWebMercatorQuad;
}
