using System.Globalization;
using Microsoft.Data.Sqlite;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// Builds <c>heatmap.mbtiles</c> (MBTiles 1.3: <c>metadata</c> and <c>tiles</c> tables, rows in TMS order, i.e.
/// <c>tile_row = 2^z − 1 − y</c>, web mercator only) from the tiles as the product pass produces them — the scored
/// level's and the pyramid's, with the bytes already in memory, never read back from the PNG files. The pass produces
/// them in an order fixed by the store alone, so the same store always gives the same bytes. The file is built under
/// a temporary name in one transaction and renamed by <see cref="Complete"/>; disposing an incomplete builder deletes
/// it. One thread at a time.
/// </summary>
internal sealed class MbTilesWriter : IDisposable
{
    public const string FileName = "heatmap.mbtiles";

    private readonly string _path;
    private readonly string _temporary;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly PreparedStatement _insert;
    private bool _completed;

    /// <summary>Creates the temporary file with the schema and <paramref name="layer"/>'s metadata.</summary>
    public MbTilesWriter(string outputFolder, HeatmapLayerInfo layer)
    {
        _path = Path.Combine(outputFolder, FileName);
        _temporary = AtomicFile.TempPathFor(_path);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = _temporary, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            using (var create = _connection.CreateCommand())
            {
                // A temporary file, renamed over heatmap.mbtiles only when complete and deleted otherwise: it needs no
                // rollback journal and no fsync at each commit (with them, SQLite made 21 fsyncs here, 25–30 ms of a
                // 2,016-tile run's product step). Like every file AtomicFile writes, it appears whole by the rename.
                create.CommandText = """
                    PRAGMA journal_mode=OFF;
                    PRAGMA synchronous=OFF;
                    CREATE TABLE metadata(name TEXT, value TEXT);
                    CREATE UNIQUE INDEX metadata_name ON metadata(name);
                    CREATE TABLE tiles(zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
                    CREATE UNIQUE INDEX tile_index ON tiles(zoom_level, tile_column, tile_row);
                    """;
                create.ExecuteNonQuery();
            }

            _transaction = _connection.BeginTransaction();
            using (var meta = _connection.CreateCommand())
            {
                meta.Transaction = _transaction;
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

            // One row per tile of every level: bound raw (PreparedStatement says why), inside the transaction above.
            _insert = new PreparedStatement(_connection, "INSERT INTO tiles(zoom_level, tile_column, tile_row, tile_data) VALUES(?1, ?2, ?3, ?4)");
        }
        catch
        {
            _transaction?.Dispose();
            _connection.Dispose();
            AtomicFile.TryDelete(_temporary);
            throw;
        }
    }

    /// <summary>Tiles added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one tile (XYZ indices; the row is stored flipped to TMS).</summary>
    public void Add(TileIndex tile, byte[] png)
    {
        _insert.Bind(1, tile.Zoom);
        _insert.Bind(2, tile.Col);
        _insert.Bind(3, (1L << tile.Zoom) - 1 - tile.Row);
        _insert.BindBlob(4, png);
        _insert.Execute();
        Count++;
    }

    /// <summary>Commits, closes and renames the file over <c>heatmap.mbtiles</c>.</summary>
    public void Complete()
    {
        _transaction.Commit();
        _insert.Dispose();
        _transaction.Dispose();
        _connection.Dispose();
        File.Move(_temporary, _path, overwrite: true);
        _completed = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_completed)
        {
            return;
        }

        _insert.Dispose();
        _transaction.Dispose();
        _connection.Dispose();
        AtomicFile.TryDelete(_temporary);
        AtomicFile.TryDelete(_temporary + "-journal");
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

    /// <summary>Whether MBTiles applies: web mercator XYZ levels only.</summary>
    public static bool Applies(TileMatrixSet set) => set.IsWebMercatorQuad;
}
