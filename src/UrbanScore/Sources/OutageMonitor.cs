using System.Globalization;

namespace UrbanScore.Sources;

/// <summary>
/// Watches a fetcher during a run. While requests fail (<see cref="HttpTileFetcher.FailingSince"/>) it reports a line
/// every <see cref="ReportInterval"/> saying what fails and since when (the fetcher keeps slowing down and retrying);
/// when nothing has succeeded for the limit it cancels the run (<see cref="Exceeded"/>), so an outage of hours ends
/// as a resumable stop instead of a run that waits forever. A zero limit only reports.
/// </summary>
public sealed class OutageMonitor
{
    /// <summary>How often a line is reported during an outage.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private readonly HttpTileFetcher _fetcher;
    private readonly TimeSpan _limit;
    private readonly Action<string> _report;
    private readonly TimeSpan _firstReport;
    private volatile bool _exceeded;

    /// <summary>Creates the monitor.</summary>
    /// <param name="fetcher">The run's fetcher (borrowed).</param>
    /// <param name="limit">How long nothing may succeed before the run is stopped; <see cref="TimeSpan.Zero"/> = never.</param>
    /// <param name="report">Receives each report line (secrets redacted).</param>
    public OutageMonitor(HttpTileFetcher fetcher, TimeSpan limit, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        ArgumentNullException.ThrowIfNull(report);
        _fetcher = fetcher;
        _limit = limit;
        _report = report;
        // With a short limit the first line comes halfway to it, so the stop is never the first word of an outage.
        _firstReport = limit > TimeSpan.Zero && limit / 2 < ReportInterval ? limit / 2 : ReportInterval;
    }

    /// <summary>Whether the monitor stopped the run because nothing succeeded for the limit.</summary>
    public bool Exceeded => _exceeded;

    /// <summary>Watches until <paramref name="cancellationToken"/> is cancelled or the limit is reached (then cancels <paramref name="run"/>).</summary>
    public async Task RunAsync(CancellationTokenSource run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        DateTimeOffset? reportedFor = null;
        var nextReport = TimeSpan.Zero;
        try
        {
            while (!cancellationToken.IsCancellationRequested && !run.IsCancellationRequested)
            {
                await Task.Delay(Tick, cancellationToken).ConfigureAwait(false);
                if (_fetcher.FailingSince is not { } since)
                {
                    if (reportedFor is not null)
                    {
                        _report("outage over: requests succeed again.");
                        reportedFor = null;
                    }

                    continue;
                }

                var lasting = DateTimeOffset.UtcNow - since;
                if (reportedFor != since)
                {
                    reportedFor = since;
                    nextReport = _firstReport;
                }

                if (_limit > TimeSpan.Zero && lasting >= _limit)
                {
                    _exceeded = true;
                    _report("outage: " + Describe());
                    await run.CancelAsync().ConfigureAwait(false);
                    return;
                }

                if (lasting >= nextReport)
                {
                    _report(string.Create(CultureInfo.InvariantCulture,
                        $"outage: no request has succeeded since {since:HH:mm:ss} UTC ({Duration(lasting)}): {_fetcher.LastFailure}; still retrying{(_limit > TimeSpan.Zero ? ", stopping after " + Duration(_limit) : string.Empty)}."));
                    nextReport = lasting + ReportInterval;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the run ended
        }
    }

    /// <summary>One sentence on the outage that stopped the run.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"no request has succeeded for {Duration(_limit)} (since {_fetcher.FailingSince:HH:mm:ss} UTC; last failure: {_fetcher.LastFailure}), the outage limit");

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
        : span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");
}
