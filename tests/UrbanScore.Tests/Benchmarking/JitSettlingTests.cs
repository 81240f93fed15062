using System.Diagnostics;
using UrbanScore.Tools.Benchmarking;

namespace UrbanScore.Tests.Benchmarking;

public sealed class JitSettlingTests
{
    [Fact]
    public void Wait_AfterCodeRan_ReturnsOnceTheCountHasStayedStill()
    {
        // Arrange: code compiled just now.
        _ = JitSettlingTests.Sum([1, 2, 3]);
        var clock = Stopwatch.StartNew();

        // Act
        JitSettling.Wait(TestContext.Current.CancellationToken);

        // Assert: it waited at least the quiet period (300 ms) and gave up no later than its longest wait (5 s).
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public void Wait_Cancelled_Throws()
    {
        // Arrange
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // Act / Assert
        Assert.Throws<OperationCanceledException>(() => JitSettling.Wait(cancelled.Token));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        // Arrange
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // Act / Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => JitSettling.WaitAsync(cancelled.Token));
    }

    private static int Sum(int[] values) => values.Sum();
}
