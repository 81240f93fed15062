using UrbanScore.Pipeline;

namespace UrbanScore.Tests.Pipeline;

public sealed class RefillGateTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WaitAsync_NewGate_IsOpen(bool inline)
    {
        var gate = new RefillGate(capacity: 8, openInline: inline);

        Assert.False(gate.IsClosed);
        Assert.True(gate.WaitAsync(TestContext.Current.CancellationToken).IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WaitAsync_ClosedThenOpened_ReleasesEveryWaiter(bool inline)
    {
        var gate = new RefillGate(capacity: 8, openInline: inline);
        gate.Close();
        var waiters = Enumerable.Range(0, 16).Select(_ => gate.WaitAsync(TestContext.Current.CancellationToken)).ToArray();
        Assert.True(gate.IsClosed);
        Assert.DoesNotContain(waiters, w => w.IsCompleted);

        gate.Open();

        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.False(gate.IsClosed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Close_Twice_OneOpenReopens(bool inline)
    {
        var gate = new RefillGate(capacity: 8, openInline: inline);
        gate.Close();
        var first = gate.WaitAsync(TestContext.Current.CancellationToken);
        gate.Close();
        var second = gate.WaitAsync(TestContext.Current.CancellationToken);

        gate.Open();

        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WaitAsync_ClosedAndCancelled_Throws(bool inline)
    {
        var gate = new RefillGate(capacity: 8, openInline: inline);
        gate.Close();
        using var cancel = new CancellationTokenSource();
        var waiting = gate.WaitAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Open_FromAWorkerThread_ResumesTheWaitersThereOnlyWhenInline(bool inline)
    {
        var gate = new RefillGate(capacity: 8, openInline: inline);
        gate.Close();
        var resumedOn = Enumerable.Range(0, 4).Select(_ => WaiterThreadAsync(gate)).ToArray();
        var opener = new Thread(gate.Open);
        opener.Start();
        opener.Join();

        var threads = await Task.WhenAll(resumedOn).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Inline, every waiting fetch worker resumes in turn on the compute worker that opened the gate; otherwise on
        // the pool, never on the opener.
        Assert.All(threads, t => Assert.Equal(inline, t == opener.ManagedThreadId));
    }

    private static async Task<int> WaiterThreadAsync(RefillGate gate)
    {
        using var cancel = new CancellationTokenSource();
        await gate.WaitAsync(cancel.Token).ConfigureAwait(false);
        return Environment.CurrentManagedThreadId;
    }
}
