using Microsoft.Data.Sqlite;
using UrbanScore.Storage;

namespace UrbanScore.Tests.Storage;

public sealed class PreparedStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public PreparedStatementTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t(k INTEGER PRIMARY KEY, n INTEGER, r REAL, b BLOB, s TEXT)";
        create.ExecuteNonQuery();
    }

    [Fact]
    public void Execute_EveryBindingKind_RowStoredAsBound()
    {
        using var insert = new PreparedStatement(_connection, "INSERT INTO t VALUES(?1, ?2, ?3, ?4, ?5)");
        insert.Bind(1, 7);
        insert.Bind(2, 5_000_000_000L);
        insert.Bind(3, 0.25);
        insert.BindBlob(4, [1, 2, 3]);
        insert.BindText(5, "Zürich");
        insert.Execute();
        insert.Bind(1, 8);
        insert.BindNull(3);
        insert.BindText(5, (string?)null);
        insert.Execute(); // n and b keep their bindings

        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT k, n, r, hex(b), s FROM t ORDER BY k";
        using var rows = read.ExecuteReader();
        Assert.True(rows.Read());
        Assert.Equal((7L, 5_000_000_000L, 0.25, "010203", "Zürich"), (rows.GetInt64(0), rows.GetInt64(1), rows.GetDouble(2), rows.GetString(3), rows.GetString(4)));
        Assert.True(rows.Read());
        Assert.Equal((8L, 5_000_000_000L, true, "010203", true), (rows.GetInt64(0), rows.GetInt64(1), rows.IsDBNull(2), rows.GetString(3), rows.IsDBNull(4)));
    }

    [Fact]
    public void Exists_RowPresentThenAbsent_TrueThenFalse()
    {
        using var insert = new PreparedStatement(_connection, "INSERT INTO t(k) VALUES(?1)");
        insert.Bind(1, 1);
        insert.Execute();
        using var exists = new PreparedStatement(_connection, "SELECT 1 FROM t WHERE k = ?1");

        exists.Bind(1, 1);
        var present = exists.Exists();
        exists.Bind(1, 2);
        var absent = exists.Exists();

        Assert.True(present);
        Assert.False(absent);
    }

    [Fact]
    public void Execute_ConstraintViolated_ThrowsSqliteExceptionAndStatementStaysUsable()
    {
        using var insert = new PreparedStatement(_connection, "INSERT INTO t(k) VALUES(?1)");
        insert.Bind(1, 1);
        insert.Execute();

        var error = Assert.Throws<SqliteException>(insert.Execute);
        insert.Bind(1, 2);
        insert.Execute();

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Contains("UNIQUE constraint failed: t.k", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SqlThatDoesNotCompile_ThrowsSqliteException()
    {
        var error = Assert.Throws<SqliteException>(() => new PreparedStatement(_connection, "INSERT INTO nowhere VALUES(?1)"));

        Assert.Contains("no such table: nowhere", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _connection.Dispose();
}
