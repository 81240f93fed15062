using UrbanScore.Pipeline;

namespace UrbanScore.Tests.Pipeline;

public sealed class WakeSignalTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Set_WhileWaiting_CompletesTheWait(bool inline)
    {
        var signal = new WakeSignal(inline);
        var wait = signal.WaitAsync();
        Assert.True(signal.IsWaiting);
        Assert.False(wait.IsCompleted);

        signal.Set();

        await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.False(signal.IsWaiting);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Set_NobodyWaiting_LetsTheNextWaitThroughOnce(bool inline)
    {
        var signal = new WakeSignal(inline);
        signal.Set();
        signal.Set();

        var first = signal.WaitAsync();
        var second = signal.WaitAsync();

        // Auto-reset: two signals before a wait are one wake-up, not two.
        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        Assert.True(signal.IsWaiting);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Set_FromOtherThreads_EveryWaitInTurnIsWoken(bool inline)
    {
        // The sink stage waits again and again while the compute workers (threads of their own) set the signal: no
        // wait may be left hanging while sets keep coming.
        var signal = new WakeSignal(inline);
        using var stop = new CancellationTokenSource();
        var setters = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    signal.Set();
                    Thread.SpinWait(50);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        for (var i = 0; i < 10_000; i++)
        {
            await signal.WaitAsync().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        await Task.WhenAll(setters);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Set_FromAWorkerThread_RunsTheWaiterThereOnlyWhenInline(bool inline)
    {
        // Inline, the waiter (the sink stage) runs inside the compute worker that sets the signal, instead of a
        // thread-pool thread being woken for it; otherwise never inside the worker.
        var signal = new WakeSignal(inline);
        var resumedOn = WaiterThreadAsync(signal);
        var setter = new Thread(signal.Set);
        setter.Start();
        setter.Join();

        var thread = await resumedOn.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(inline, thread == setter.ManagedThreadId);
    }

    private static async Task<int> WaiterThreadAsync(WakeSignal signal)
    {
        await signal.WaitAsync().ConfigureAwait(false);
        return Environment.CurrentManagedThreadId;
    }
}
