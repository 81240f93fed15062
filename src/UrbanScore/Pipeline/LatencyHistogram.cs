using System.Diagnostics;

namespace UrbanScore.Pipeline;

/// <summary>
/// A lock-free, allocation-free histogram of durations: log-scale buckets (4 per power of two) from 1 µs to about
/// 1 hour, so recording on a hot path costs one <see cref="Interlocked"/> add and percentiles are within ±10%.
/// Thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 4;
    private const int Octaves = 32; // 2^32 µs ≈ 71 minutes
    private readonly long[] _counts = new long[(Octaves * SubBuckets) + 1];
    private long _count;
    private long _totalTicks;

    /// <summary>Number of durations recorded.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Sum of the durations recorded.</summary>
    public TimeSpan Total => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _totalTicks));

    /// <summary>Mean duration, or zero when empty.</summary>
    public TimeSpan Mean => Count == 0 ? TimeSpan.Zero : Total / Count;

    /// <summary>Records the time since <paramref name="startTimestamp"/> (from <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void RecordSince(long startTimestamp) => RecordTicks(Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>Records a duration in <see cref="Stopwatch"/> ticks.</summary>
    public void RecordTicks(long ticks)
    {
        ticks = Math.Max(0, ticks);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _totalTicks, ticks);
        Interlocked.Increment(ref _counts[Bucket(ticks * 1_000_000.0 / Stopwatch.Frequency)]);
    }

    /// <summary>The duration below which <paramref name="percentile"/> (0–100) of the recordings fall (bucket midpoint).</summary>
    public TimeSpan Percentile(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100.0 * count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= Math.Max(1, rank))
            {
                return TimeSpan.FromMicroseconds(Midpoint(i));
            }
        }

        return TimeSpan.FromMicroseconds(Midpoint(_counts.Length - 1));
    }

    private static int Bucket(double micros)
    {
        if (micros < 1)
        {
            return 0;
        }

        var index = 1 + (int)(Math.Log2(micros) * SubBuckets);
        return Math.Min(index, (Octaves * SubBuckets));
    }

    // Bucket i > 0 spans [2^((i-1)/4), 2^(i/4)) µs; the geometric midpoint keeps the error symmetric.
    private static double Midpoint(int bucket) => bucket == 0 ? 0.5 : Math.Pow(2, (bucket - 0.5) / SubBuckets);
}
