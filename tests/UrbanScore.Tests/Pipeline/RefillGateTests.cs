using UrbanScore.Pipeline;

namespace UrbanScore.Tests.Pipeline;

public sealed class RefillGateTests
{
    [Fact]
    public void WaitAsync_NewGate_IsOpen()
    {
        var gate = new RefillGate(capacity: 8);

        Assert.False(gate.IsClosed);
        Assert.True(gate.WaitAsync(TestContext.Current.CancellationToken).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitAsync_ClosedThenOpened_ReleasesEveryWaiter()
    {
        var gate = new RefillGate(capacity: 8);
        gate.Close();
        var waiters = Enumerable.Range(0, 16).Select(_ => gate.WaitAsync(TestContext.Current.CancellationToken)).ToArray();
        Assert.True(gate.IsClosed);
        Assert.DoesNotContain(waiters, w => w.IsCompleted);

        gate.Open();

        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.False(gate.IsClosed);
    }

    [Fact]
    public async Task Close_Twice_OneOpenReopens()
    {
        var gate = new RefillGate(capacity: 8);
        gate.Close();
        var first = gate.WaitAsync(TestContext.Current.CancellationToken);
        gate.Close();
        var second = gate.WaitAsync(TestContext.Current.CancellationToken);

        gate.Open();

        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WaitAsync_ClosedAndCancelled_Throws()
    {
        var gate = new RefillGate(capacity: 8);
        gate.Close();
        using var cancel = new CancellationTokenSource();
        var waiting = gate.WaitAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
