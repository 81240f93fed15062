using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using UrbanScore.Pipeline;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Pipeline;

public sealed class LoggingTileSinkTests
{
    private readonly FakeLogger _logger = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task WriteAsync_FailedTile_LogsItAtDebugWithTileAndReason()
    {
        using var sink = new LoggingTileSink(_logger, timeProvider: _time);

        await sink.WriteAsync(Outcome(TileStatus.Failed, "HTTP 403 Forbidden", attempts: 1), TestContext.Current.CancellationToken);

        var record = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Debug, record.Level);
        Assert.Equal("tile 12/2000/1300 failed after 1 attempts: HTTP 403 Forbidden", record.Message);
    }

    [Fact]
    public async Task Timer_OneMinutePasses_LogsASummaryAtInformation()
    {
        using var sink = new LoggingTileSink(_logger, timeProvider: _time);
        for (var i = 0; i < 6; i++)
        {
            await sink.WriteAsync(Outcome(i < 5 ? TileStatus.Scored : TileStatus.Empty, i < 5 ? null : "HTTP 404: no tile here"), TestContext.Current.CancellationToken);
        }

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information);
        _time.Advance(TimeSpan.FromSeconds(1));

        var summary = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information);
        Assert.Equal("6 tiles done (5 scored, 1 empty, 0 failed), 0.1 tiles/s over the last interval, 60 s elapsed", summary.Message);
    }

    [Fact]
    public async Task Timer_NoTileFinishesForAMinute_StillLogsASummary()
    {
        using var sink = new LoggingTileSink(_logger, timeProvider: _time);
        await sink.WriteAsync(Outcome(TileStatus.Scored, null), TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromMinutes(2));

        var summaries = _logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Information).Select(r => r.Message).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.StartsWith("1 tiles done", summaries[1], StringComparison.Ordinal);
        Assert.Contains(", 0 tiles/s over the last interval", summaries[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlushAsync_CalledTwiceAfterTiles_LogsTheFinalSummaryOnce()
    {
        using var sink = new LoggingTileSink(_logger, timeProvider: _time);
        await sink.WriteAsync(Outcome(TileStatus.Scored, null), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(2.5));

        await sink.FlushAsync(TestContext.Current.CancellationToken);
        await sink.FlushAsync(TestContext.Current.CancellationToken);

        var final = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Information, final.Level);
        Assert.Equal("pipeline finished: 1 tiles (1 scored, 0 empty, 0 failed) in 2.5 s", final.Message);
    }

    [Fact]
    public void Constructor_ZeroInterval_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoggingTileSink(_logger, TimeSpan.Zero, _time));
    }

    private static TileOutcome Outcome(TileStatus status, string? reason, int attempts = 1) =>
        new(new TileIndex(Zoom: 12, Col: 2000, Row: 1300), status, status == TileStatus.Scored ? 0.5f : float.NaN, default, reason is null ? FailureKind.None : FailureKind.Other, reason, attempts);
}
