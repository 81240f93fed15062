using Microsoft.Extensions.Logging;
namespace UrbanScore.Pipeline;

/// <summary>
/// A sink that logs a run for people watching it: each failed tile at <see cref="LogLevel.Debug"/> (empty tiles at
/// <see cref="LogLevel.Trace"/>), and a summary line at <see cref="LogLevel.Information"/> every
/// <see cref="SummaryInterval"/> (also while no tile finishes, so a stalled run still shows up) and once more when the
/// pipeline flushes at the end. Add it to a run's extra sinks (<c>ScoreRequest.Logger</c> does that). Owns its timer: dispose it after
/// the run. Borrows the logger.
/// </summary>
public sealed partial class LoggingTileSink : ITileSink, IDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly long _startTimestamp;
    private readonly Lock _summaryLock = new();
    private long _scored;
    private long _empty;
    private long _failed;
    private long _lastSummaryDone;
    private long _lastSummaryTimestamp;

    /// <summary>Creates the sink and starts its summary timer.</summary>
    /// <param name="logger">Where the lines go.</param>
    /// <param name="summaryInterval">Time between summaries; default one minute.</param>
    /// <param name="timeProvider">Clock and timer; default <see cref="TimeProvider.System"/>.</param>
    public LoggingTileSink(ILogger logger, TimeSpan? summaryInterval = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        SummaryInterval = summaryInterval ?? TimeSpan.FromMinutes(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SummaryInterval, TimeSpan.Zero, nameof(summaryInterval));
        _startTimestamp = _time.GetTimestamp();
        _lastSummaryTimestamp = _startTimestamp;
        _timer = _time.CreateTimer(_ => Summarise(final: false), null, SummaryInterval, SummaryInterval);
    }

    /// <summary>Time between two summary lines.</summary>
    public TimeSpan SummaryInterval { get; }

    /// <inheritdoc />
    public ValueTask WriteAsync(TileOutcome outcome, CancellationToken cancellationToken)
    {
        var tile = outcome.Tile;
        switch (outcome.Status)
        {
            case TileStatus.Scored:
                Interlocked.Increment(ref _scored);
                break;
            case TileStatus.Empty:
                Interlocked.Increment(ref _empty);
                LogEmpty(tile.Zoom, tile.Col, tile.Row, outcome.Reason ?? "no reason given");
                break;
            default:
                Interlocked.Increment(ref _failed);
                LogFailed(tile.Zoom, tile.Col, tile.Row, outcome.Attempts, outcome.Reason ?? "no reason given");
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Summarise(final: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops the summary timer.</summary>
    public void Dispose() => _timer.Dispose();

    private void Summarise(bool final)
    {
        lock (_summaryLock)
        {
            var now = _time.GetTimestamp();
            var scored = Interlocked.Read(ref _scored);
            var empty = Interlocked.Read(ref _empty);
            var failed = Interlocked.Read(ref _failed);
            var done = scored + empty + failed;
            if (final && done == _lastSummaryDone && _lastSummaryTimestamp != _startTimestamp)
            {
                return; // nothing new since the last line
            }

            var previousDone = _lastSummaryDone;
            _lastSummaryDone = done;
            var previous = _lastSummaryTimestamp;
            _lastSummaryTimestamp = now;
            if (!_logger.IsEnabled(LogLevel.Information))
            {
                return;
            }

            var window = _time.GetElapsedTime(previous, now).TotalSeconds;
            var rate = Math.Round(window > 0 ? (done - previousDone) / window : 0, 1);
            var seconds = Math.Round(_time.GetElapsedTime(_startTimestamp, now).TotalSeconds, 1);
            if (final)
            {
                LogFinished(done, scored, empty, failed, seconds);
            }
            else
            {
                LogSummary(done, scored, empty, failed, rate, seconds);
            }
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "tile {Zoom}/{Col}/{Row} failed after {Attempts} attempts: {Reason}")]
    private partial void LogFailed(int zoom, int col, int row, int attempts, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Trace, Message = "tile {Zoom}/{Col}/{Row} is empty: {Reason}")]
    private partial void LogEmpty(int zoom, int col, int row, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Done} tiles done ({Scored} scored, {Empty} empty, {Failed} failed), {TilesPerSecond} tiles/s over the last interval, {ElapsedSeconds} s elapsed")]
    private partial void LogSummary(long done, long scored, long empty, long failed, double tilesPerSecond, double elapsedSeconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "pipeline finished: {Done} tiles ({Scored} scored, {Empty} empty, {Failed} failed) in {ElapsedSeconds} s")]
    private partial void LogFinished(long done, long scored, long empty, long failed, double elapsedSeconds);
}
