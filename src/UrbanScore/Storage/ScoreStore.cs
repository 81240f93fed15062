using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using UrbanScore.Pipeline;
using UrbanScore.Tiling;

namespace UrbanScore.Storage;

/// <summary>
/// <c>scores.sqlite</c>: the source of truth of a run, one row per tile, written in batched transactions (WAL), read
/// back to resume a run and to render every other output. Owns two SQLite connections (one writes as the pipeline's
/// sink, one reads for resume checks and rendering) and the two statements prepared on them (the row, the resume
/// check); dispose it to close them. The sink side is single-threaded, as <see cref="ITileSink"/> promises.
/// </summary>
public sealed class ScoreStore : ITileSink, IDisposable
{
    /// <summary>File name of the store inside an output folder.</summary>
    public const string FileName = "scores.sqlite";

    private const int RowsPerTransaction = 512;
    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly PreparedStatement _upsert;
    private readonly PreparedStatement _isDone;
    private SqliteTransaction? _transaction;
    private int _pendingRows;

    private ScoreStore(string path)
    {
        Path = path;
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        _writer = new SqliteConnection(connectionString);
        _reader = new SqliteConnection(connectionString);
        try
        {
            _writer.Open();
            Execute(_writer, """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                CREATE TABLE IF NOT EXISTS metadata(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS tiles(
                    zoom INTEGER NOT NULL,
                    row INTEGER NOT NULL,
                    col INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    score REAL,
                    label_scores BLOB,
                    reason TEXT,
                    attempts INTEGER NOT NULL,
                    PRIMARY KEY(zoom, row, col)) WITHOUT ROWID;
                """);
            _reader.Open();
            // Both per-tile statements are prepared once and bound raw (PreparedStatement says why).
            _upsert = new PreparedStatement(_writer, """
                INSERT INTO tiles(zoom, row, col, status, score, label_scores, reason, attempts)
                VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                ON CONFLICT(zoom, row, col) DO UPDATE SET
                    status = excluded.status, score = excluded.score, label_scores = excluded.label_scores,
                    reason = excluded.reason, attempts = tiles.attempts + excluded.attempts;
                """);
            _isDone = new PreparedStatement(_reader, "SELECT 1 FROM tiles WHERE zoom = ?1 AND row = ?2 AND col = ?3 AND status <> 'failed'");
        }
        catch
        {
            _upsert?.Dispose();
            _isDone?.Dispose();
            _writer.Dispose();
            _reader.Dispose();
            throw;
        }
    }

    /// <summary>Path of the database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens (or creates) the store in <paramref name="folder"/> for a run. A store holding another model's or
    /// source's scores is refused unless <paramref name="force"/>, which clears it.
    /// </summary>
    /// <exception cref="UrbanScoreException">The folder holds another run and <paramref name="force"/> is false.</exception>
    public static ScoreStore Open(string folder, RunIdentity identity, bool force)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Directory.CreateDirectory(folder);
        var store = new ScoreStore(System.IO.Path.Combine(folder, FileName));
        try
        {
            if (RunIdentity.FromMetadata(store.ReadMetadata()) is { } existing)
            {
                var mismatch = identity.ResumeConflict(existing);
                if (mismatch is not null && !force)
                {
                    throw new UrbanScoreException($"The output folder {folder} holds a run with {mismatch}; choose another output folder or force replacing it.") { Subject = InputSubject.OutputFolder };
                }

                if (mismatch is not null)
                {
                    Execute(store._writer, "DELETE FROM tiles; DELETE FROM metadata;");
                }
            }

            store.WriteMetadata(identity);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing store read-only use (render, export, merge).</summary>
    /// <exception cref="UrbanScoreException">There is no store in the folder.</exception>
    public static ScoreStore OpenExisting(string folder)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new UrbanScoreException($"There is no {FileName} in {folder}; give the output folder of a scoring run, or score into {folder} first.")
            { Subject = InputSubject.RunFolder };
        }

        return new ScoreStore(path);
    }

    /// <summary>Whether a tile is already scored or known empty (so a resumed run skips it; failed tiles are retried).</summary>
    public bool IsDone(TileIndex tile)
    {
        _isDone.Bind(1, tile.Zoom);
        _isDone.Bind(2, tile.Row);
        _isDone.Bind(3, tile.Col);
        return _isDone.Exists();
    }

    /// <summary>
    /// Whether any tile is scored or known empty: false for a new (or forced) run, whose cover then needs no
    /// <see cref="IsDone"/> per tile.
    /// </summary>
    internal bool HasFinishedTiles()
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT EXISTS(SELECT 1 FROM tiles WHERE status <> 'failed')";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) != 0;
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(TileOutcome outcome, CancellationToken cancellationToken)
    {
        _transaction ??= _writer.BeginTransaction();
        var row = _upsert;
        row.Bind(1, outcome.Tile.Zoom);
        row.Bind(2, outcome.Tile.Row);
        row.Bind(3, outcome.Tile.Col);
        row.BindText(4, StatusUtf8(outcome.Status));
        if (outcome.Status == TileStatus.Scored)
        {
            row.Bind(5, outcome.Score);
        }
        else
        {
            row.BindNull(5);
        }

        if (outcome.LabelScores.IsEmpty)
        {
            row.BindNull(6);
        }
        else
        {
            row.BindBlob(6, MemoryMarshal.AsBytes(outcome.LabelScores.Span));
        }

        row.BindText(7, outcome.Reason);
        row.Bind(8, outcome.Attempts);
        row.Execute();
        if (++_pendingRows >= RowsPerTransaction)
        {
            Commit();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Commit();
        return ValueTask.CompletedTask;
    }

    /// <summary>The identity of the run that wrote this store: source, tile matrix set, model, labels.</summary>
    /// <exception cref="UrbanScoreException">The store holds no identity (it was not written by a run).</exception>
    public RunIdentity ReadIdentity() =>
        TryReadIdentity()
        ?? throw new UrbanScoreException($"{Path} holds no run identity (source, model, labels); it was not written by 'urbanscore score'.");

    /// <summary>The identity of the run that wrote this store, or null when it holds none (it was not written by a run).</summary>
    public RunIdentity? TryReadIdentity() => RunIdentity.FromMetadata(ReadMetadata());

    /// <summary>Metadata as stored (key → value): the identity's keys and the render settings' (<c>render.*</c>).</summary>
    internal IReadOnlyDictionary<string, string> ReadMetadata()
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT key, value FROM metadata";
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }

    /// <summary>
    /// Adds or replaces metadata entries (used for the render settings of the products). Keys the run identity uses
    /// (source, model_sha256, ...) must not be passed here.
    /// </summary>
    internal void WriteMetadataEntries(IEnumerable<KeyValuePair<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Commit();
        using var transaction = _writer.BeginTransaction();
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO metadata(key, value) VALUES($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        var key = command.Parameters.Add(new SqliteParameter { ParameterName = "$key" });
        var value = command.Parameters.Add(new SqliteParameter { ParameterName = "$value" });
        foreach (var (k, v) in entries)
        {
            key.Value = k;
            value.Value = v;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Number of tiles per status.</summary>
    internal (long Scored, long Empty, long Failed) CountByStatus()
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM tiles GROUP BY status";
        using var reader = command.ExecuteReader();
        long scored = 0, empty = 0, failed = 0;
        while (reader.Read())
        {
            var count = reader.GetInt64(1);
            switch (reader.GetString(0))
            {
                case "scored": scored = count; break;
                case "empty": empty = count; break;
                default: failed = count; break;
            }
        }

        return (scored, empty, failed);
    }

    /// <summary>The zoom levels and tile extent present in the store (over every status).</summary>
    public IReadOnlyList<TileRange> Extents()
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT zoom, MIN(col), MIN(row), MAX(col), MAX(row) FROM tiles GROUP BY zoom ORDER BY zoom";
        using var reader = command.ExecuteReader();
        var result = new List<TileRange>();
        while (reader.Read())
        {
            result.Add(new TileRange(Zoom: reader.GetInt32(0), MinCol: reader.GetInt32(1), MinRow: reader.GetInt32(2), MaxCol: reader.GetInt32(3), MaxRow: reader.GetInt32(4)));
        }

        return result;
    }

    /// <summary>
    /// Fills <paramref name="scores"/> with one tile row's scores from <paramref name="minCol"/> on (NaN where the tile
    /// is absent, empty or failed). Streams: one row at a time, for rendering rasters of any size.
    /// </summary>
    internal void ReadScoreRow(int zoom, int row, int minCol, Span<float> scores)
    {
        scores.Fill(float.NaN);
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT col, score FROM tiles WHERE zoom = $zoom AND row = $row AND col >= $min AND col < $max AND status = 'scored'";
        command.Parameters.AddWithValue("$zoom", zoom);
        command.Parameters.AddWithValue("$row", row);
        command.Parameters.AddWithValue("$min", minCol);
        command.Parameters.AddWithValue("$max", (long)minCol + scores.Length);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            scores[reader.GetInt32(0) - minCol] = (float)reader.GetDouble(1);
        }
    }

    /// <summary>Every stored tile in row-major order (north to south, west to east), streamed.</summary>
    public IEnumerable<StoredTile> ReadAll()
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT zoom, row, col, status, score, label_scores, reason, attempts FROM tiles ORDER BY zoom, row, col";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var status = ParseStatus(reader.GetString(3));
            var labels = reader.IsDBNull(5) ? [] : MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(5)).ToArray();
            yield return new StoredTile(
                new TileIndex(Zoom: reader.GetInt32(0), Col: reader.GetInt32(2), Row: reader.GetInt32(1)),
                status,
                reader.IsDBNull(4) ? float.NaN : (float)reader.GetDouble(4),
                labels,
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetInt32(7));
        }
    }

    /// <summary>
    /// Every stored tile of level <paramref name="zoom"/> as (tile, status, score), ordered by row then column, streamed
    /// without the label scores: what the analysis reads for runs of millions of tiles.
    /// </summary>
    internal IEnumerable<(TileIndex Tile, TileStatus Status, float Score)> ReadScores(int zoom)
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT row, col, status, score FROM tiles WHERE zoom = $zoom ORDER BY row, col";
        command.Parameters.AddWithValue("$zoom", zoom);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (
                new TileIndex(Zoom: zoom, Col: reader.GetInt32(1), Row: reader.GetInt32(0)),
                ParseStatus(reader.GetString(2)),
                reader.IsDBNull(3) ? float.NaN : (float)reader.GetDouble(3));
        }
    }

    /// <summary>The text stored for a status.</summary>
    internal static string StatusText(TileStatus status) => status switch
    {
        TileStatus.Scored => "scored",
        TileStatus.Empty => "empty",
        _ => "failed",
    };

    /// <summary>The text stored for a status, as the UTF-8 bytes the row statement binds.</summary>
    private static ReadOnlySpan<byte> StatusUtf8(TileStatus status) => status switch
    {
        TileStatus.Scored => "scored"u8,
        TileStatus.Empty => "empty"u8,
        _ => "failed"u8,
    };

    private static TileStatus ParseStatus(string text) => text switch
    {
        "scored" => TileStatus.Scored,
        "empty" => TileStatus.Empty,
        _ => TileStatus.Failed,
    };

    private void Commit()
    {
        // Forget the transaction first: when SQLite has already rolled it back (SQLITE_FULL, I/O error), a later
        // flush or Dispose must not throw "transaction has completed" over the error that explains the failure.
        var transaction = _transaction;
        _transaction = null;
        _pendingRows = 0;
        if (transaction is null)
        {
            return;
        }

        using (transaction)
        {
            if (transaction.Connection is not null)
            {
                transaction.Commit();
            }
        }
    }

    private void WriteMetadata(RunIdentity identity)
    {
        using var transaction = _writer.BeginTransaction();
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO metadata(key, value) VALUES($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        var key = command.Parameters.Add(new SqliteParameter { ParameterName = "$key" });
        var value = command.Parameters.Add(new SqliteParameter { ParameterName = "$value" });
        foreach (var (k, v) in identity.ToMetadata())
        {
            key.Value = k;
            value.Value = v;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Commit();
        _upsert.Dispose();
        _isDone.Dispose();
        _writer.Dispose();
        _reader.Dispose();
    }
}
