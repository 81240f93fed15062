using Microsoft.Data.Sqlite;
using UrbanScore.Pipeline;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Storage;

public sealed class ScoreStoreTests : IDisposable
{
    private static readonly RunIdentity s_identity = new()
    {
        Source = "XYZ http://127.0.0.1/{z}/{x}/{y}.jpg",
        TileMatrixSet = "WebMercatorQuad",
        Epsg = 3857,
        ModelSha256 = "ab12",
        Labels = ["city", "other"],
        PositiveLabel = "city",
    };

    private static readonly float[] s_scoredLabels = [0.75f, 0.25f];
    private static readonly float[] s_laterLabels = [0.125f, 0.875f];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "urbanscore-store-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task WriteAsync_EveryStatus_RowsReadBackAsWritten()
    {
        var scored = new TileIndex(Zoom: 16, Col: 33_000, Row: 22_000);
        var empty = scored with { Col = 33_001 };
        var failed = scored with { Col = 33_002 };
        using (var store = ScoreStore.Open(_folder, s_identity, force: false))
        {
            await store.WriteAsync(new TileOutcome(scored, TileStatus.Scored, 0.75f, s_scoredLabels, FailureKind.None, null, 1), TestContext.Current.CancellationToken);
            await store.WriteAsync(new TileOutcome(empty, TileStatus.Empty, float.NaN, default, FailureKind.None, "HTTP 404: no tile here", 2), TestContext.Current.CancellationToken);
            await store.WriteAsync(new TileOutcome(failed, TileStatus.Failed, float.NaN, default, FailureKind.Http5xx, "HTTP 503 after 3 attempts — é", 3), TestContext.Current.CancellationToken);
        }

        // Reopened: Dispose committed the open transaction.
        using var reopened = ScoreStore.OpenExisting(_folder);
        var rows = reopened.ReadAll().ToDictionary(r => r.Tile);
        Assert.Equal(3, rows.Count);
        Assert.Equal(new StoredTile(scored, TileStatus.Scored, 0.75f, [], null, 1) with { LabelScores = rows[scored].LabelScores }, rows[scored]);
        Assert.Equal([0.75f, 0.25f], rows[scored].LabelScores);
        Assert.Equal((TileStatus.Empty, "HTTP 404: no tile here", 2, 0), (rows[empty].Status, rows[empty].Reason, rows[empty].Attempts, rows[empty].LabelScores.Length));
        Assert.True(float.IsNaN(rows[empty].Score));
        Assert.Equal((TileStatus.Failed, "HTTP 503 after 3 attempts — é", 3), (rows[failed].Status, rows[failed].Reason, rows[failed].Attempts));
        Assert.True(reopened.IsDone(scored));
        Assert.True(reopened.IsDone(empty));
        Assert.False(reopened.IsDone(failed));
        Assert.Equal((1L, 1L, 1L), reopened.CountByStatus());
    }

    [Fact]
    public async Task WriteAsync_FailedTileScoredLater_RowReplacedAndAttemptsSummed()
    {
        var tile = new TileIndex(Zoom: 12, Col: 2_100, Row: 1_400);
        using var store = ScoreStore.Open(_folder, s_identity, force: false);
        await store.WriteAsync(new TileOutcome(tile, TileStatus.Failed, float.NaN, default, FailureKind.Timeout, "timed out after 30 s", 3), TestContext.Current.CancellationToken);
        await store.FlushAsync(TestContext.Current.CancellationToken);
        await store.WriteAsync(new TileOutcome(tile, TileStatus.Scored, 0.125f, s_laterLabels, FailureKind.None, null, 2), TestContext.Current.CancellationToken);
        await store.FlushAsync(TestContext.Current.CancellationToken);

        var row = Assert.Single(store.ReadAll());
        Assert.Equal((TileStatus.Scored, 0.125f, (string?)null, 5), (row.Status, row.Score, row.Reason, row.Attempts));
        Assert.Equal([0.125f, 0.875f], row.LabelScores);
    }

    [Fact]
    public async Task WriteAsync_MoreRowsThanOneTransaction_AllVisibleToAnotherConnectionAfterFlush()
    {
        const int count = 1_300; // more than two transactions of 512 rows
        using var store = ScoreStore.Open(_folder, s_identity, force: false);
        for (var i = 0; i < count; i++)
        {
            var tile = new TileIndex(Zoom: 14, Col: i % 100, Row: i / 100);
            await store.WriteAsync(new TileOutcome(tile, TileStatus.Scored, i / (float)count, new[] { i / (float)count, 1 - (i / (float)count) }, FailureKind.None, null, 1), TestContext.Current.CancellationToken);
        }

        await store.FlushAsync(TestContext.Current.CancellationToken);
        using var other = new SqliteConnection($"Data Source={store.Path};Mode=ReadOnly;Pooling=False");
        other.Open();
        using var command = other.CreateCommand();
        command.CommandText = "SELECT COUNT(*), SUM(attempts), MAX(score), SUM(length(label_scores)) FROM tiles WHERE status = 'scored'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(count, reader.GetInt64(0));
        Assert.Equal(count, reader.GetInt64(1));
        Assert.Equal((count - 1) / (double)count, reader.GetDouble(2), 6);
        Assert.Equal(count * 2 * sizeof(float), reader.GetInt64(3));
    }

    [Fact]
    public async Task HasFinishedTiles_NewStoreThenFailedThenEmpty_TrueOnlyOnceATileIsDone()
    {
        var tile = new TileIndex(Zoom: 10, Col: 500, Row: 300);
        using var store = ScoreStore.Open(_folder, s_identity, force: false);
        Assert.False(store.HasFinishedTiles());

        await store.WriteAsync(new TileOutcome(tile, TileStatus.Failed, float.NaN, default, FailureKind.Connection, "connection refused", 1), TestContext.Current.CancellationToken);
        await store.FlushAsync(TestContext.Current.CancellationToken);
        Assert.False(store.HasFinishedTiles()); // a failed tile is retried, so a resume still has everything to do

        await store.WriteAsync(new TileOutcome(tile with { Col = 501 }, TileStatus.Empty, float.NaN, default, FailureKind.Http404, "HTTP 404", 1), TestContext.Current.CancellationToken);
        await store.FlushAsync(TestContext.Current.CancellationToken);
        Assert.True(store.HasFinishedTiles());
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
