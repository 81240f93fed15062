using System.Diagnostics;
using UrbanScore.Pipeline;

namespace UrbanScore.Tests.Benchmarking;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_UniformOneToHundredMilliseconds_IsWithinTenPercent()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 100; ms++)
        {
            histogram.RecordTicks(Stopwatch.Frequency * ms / 1000);
        }

        // Act + Assert: log buckets of 2^(1/4) ≈ 19% width, reported at their geometric midpoint (±10%).
        Assert.Equal(100, histogram.Count);
        Assert.InRange(histogram.Percentile(50).TotalMilliseconds, 45, 55);
        Assert.InRange(histogram.Percentile(95).TotalMilliseconds, 85.5, 104.5);
        Assert.Equal(50.5, histogram.Mean.TotalMilliseconds, 1);
    }

    [Fact]
    public void Percentile_Empty_IsZero() => Assert.Equal(TimeSpan.Zero, new LatencyHistogram().Percentile(95));
}
