using System.Diagnostics.Metrics;

namespace UrbanScore.Observability;

/// <summary>
/// The metrics UrbanScore publishes through <see cref="System.Diagnostics.Metrics"/>: listen to the meter named
/// <see cref="MeterName"/> (OpenTelemetry: <c>AddMeter(UrbanScoreMetrics.MeterName)</c>). Instruments, with their
/// Prometheus names in docs/observability.md: tiles planned, fetched, scored, empty and failed (by reason), bytes
/// fetched, fetch latency and inference batch latency histograms, queue depths, retries and rate-limit waits.
/// The library records them whether or not anybody listens (an unobserved instrument costs one branch).
/// </summary>
public static class UrbanScoreMetrics
{
    /// <summary>The name of the meter every instrument belongs to.</summary>
    public const string MeterName = "UrbanScore";

    // Latency buckets in seconds: from a cached tile on localhost (a few ms) to a slow server or a big CPU batch (30 s).
    private static readonly double[] s_secondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly Meter s_meter = new(MeterName, ProductInfo.Version);
    private static readonly Lock s_queuesLock = new();
    private static readonly List<QueueProbe[]> s_queues = [];

    internal static readonly Counter<long> TilesPlanned = s_meter.CreateCounter<long>("urbanscore.tiles.planned", "{tile}", "Tiles handed to the pipeline.");
    internal static readonly Counter<long> TilesFetched = s_meter.CreateCounter<long>("urbanscore.tiles.fetched", "{tile}", "Tiles whose fetch finished, by status (image, empty, failed).");
    internal static readonly Counter<long> TilesScored = s_meter.CreateCounter<long>("urbanscore.tiles.scored", "{tile}", "Tiles scored by the model.");
    internal static readonly Counter<long> TilesEmpty = s_meter.CreateCounter<long>("urbanscore.tiles.empty", "{tile}", "Tiles with no imagery, by reason.");
    internal static readonly Counter<long> TilesFailed = s_meter.CreateCounter<long>("urbanscore.tiles.failed", "{tile}", "Tiles that failed, by reason.");
    internal static readonly Counter<long> BytesFetched = s_meter.CreateCounter<long>("urbanscore.fetch.bytes", "By", "Tile body bytes received.");
    internal static readonly Counter<long> Retries = s_meter.CreateCounter<long>("urbanscore.fetch.retries", "{retry}", "HTTP retries, by reason.");
    internal static readonly Counter<long> RateLimitWaits = s_meter.CreateCounter<long>("urbanscore.ratelimit.waits", "{wait}", "Requests held back by --max-rps, or delayed by a server's Retry-After.");

    internal static readonly Histogram<double> FetchDuration = s_meter.CreateHistogram(
        "urbanscore.fetch.duration", "s", "Time to fetch one tile, retries and rate-limit waits included.", tags: null, Seconds());

    internal static readonly Histogram<double> BatchDuration = s_meter.CreateHistogram(
        "urbanscore.inference.batch.duration", "s", "Time of one inference call (one batch of tiles).", tags: null, Seconds());

    internal static readonly Histogram<double> RateLimitWaitDuration = s_meter.CreateHistogram(
        "urbanscore.ratelimit.wait.duration", "s", "Time one request waited for the per-host rate limit or a Retry-After.", tags: null, Seconds());

    private static readonly ObservableGauge<long> s_queueDepth = s_meter.CreateObservableGauge(
        "urbanscore.pipeline.queue.depth", ObserveQueues, "{item}", "Items waiting between pipeline stages (tiles, fetched, batches, outcomes), summed over running pipelines.");

    /// <summary>
    /// Makes the given queues visible to the queue-depth gauge until the result is disposed (one call per pipeline run).
    /// </summary>
    internal static IDisposable TrackQueues(params QueueProbe[] queues)
    {
        lock (s_queuesLock)
        {
            s_queues.Add(queues);
        }

        return new Registration(queues);
    }

    /// <summary>Records a scored tile.</summary>
    internal static void RecordScored() => TilesScored.Add(1);

    /// <summary>Records an empty tile by the kind of its reason.</summary>
    internal static void RecordEmpty(FailureKind kind) => TilesEmpty.Add(1, new KeyValuePair<string, object?>("reason", kind.MetricWord()));

    /// <summary>Records a failed tile by the kind of its reason.</summary>
    internal static void RecordFailed(FailureKind kind) => TilesFailed.Add(1, new KeyValuePair<string, object?>("reason", kind.MetricWord()));

    /// <summary>Records one finished fetch: its status word (image, empty, failed) and how long it took (retries included).</summary>
    internal static void RecordFetch(string status, TimeSpan elapsed)
    {
        TilesFetched.Add(1, new KeyValuePair<string, object?>("status", status));
        FetchDuration.Record(elapsed.TotalSeconds);
    }

    /// <summary>Records one retry and, when the server asked for it with Retry-After, a rate-limit wait.</summary>
    internal static void RecordRetry(FailureKind kind, TimeSpan backoff, bool serverAskedToWait)
    {
        Retries.Add(1, new KeyValuePair<string, object?>("reason", kind.MetricWord()));
        if (serverAskedToWait)
        {
            RateLimitWaits.Add(1, new KeyValuePair<string, object?>("cause", "retry_after"));
            RateLimitWaitDuration.Record(backoff.TotalSeconds);
        }
    }

    /// <summary>Records the time a request waited for the per-host rate limit, when it had to wait at all.</summary>
    internal static void RecordRateLimitWait(TimeSpan waited)
    {
        // Below 1 ms the permit was free; counting those would make every request a "wait".
        if (waited >= TimeSpan.FromMilliseconds(1))
        {
            RateLimitWaits.Add(1, new KeyValuePair<string, object?>("cause", "max_rps"));
            RateLimitWaitDuration.Record(waited.TotalSeconds);
        }
    }

    private static InstrumentAdvice<double> Seconds() => new() { HistogramBucketBoundaries = s_secondsBuckets };

    private static IEnumerable<Measurement<long>> ObserveQueues()
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (s_queuesLock)
        {
            foreach (var run in s_queues)
            {
                foreach (var probe in run)
                {
                    totals[probe.Name] = totals.GetValueOrDefault(probe.Name) + probe.Depth();
                }
            }
        }

        foreach (var (name, depth) in totals)
        {
            yield return new Measurement<long>(depth, new KeyValuePair<string, object?>("queue", name));
        }
    }

    /// <summary>A named queue and a way to read how many items wait in it.</summary>
    internal readonly record struct QueueProbe(string Name, Func<int> Depth);

    private sealed class Registration(QueueProbe[] queues) : IDisposable
    {
        public void Dispose()
        {
            lock (s_queuesLock)
            {
                s_queues.Remove(queues);
            }
        }
    }
}
