using UrbanScore.Pipeline;

namespace UrbanScore.Tests.Pipeline;

public sealed class WakeSignalTests
{
    [Fact]
    public async Task Set_WhileWaiting_CompletesTheWait()
    {
        var signal = new WakeSignal();
        var wait = signal.WaitAsync();
        Assert.True(signal.IsWaiting);
        Assert.False(wait.IsCompleted);

        signal.Set();

        await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.False(signal.IsWaiting);
    }

    [Fact]
    public void Set_NobodyWaiting_LetsTheNextWaitThroughOnce()
    {
        var signal = new WakeSignal();
        signal.Set();
        signal.Set();

        var first = signal.WaitAsync();
        var second = signal.WaitAsync();

        // Auto-reset: two signals before a wait are one wake-up, not two.
        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        Assert.True(signal.IsWaiting);
    }

    [Fact]
    public async Task Set_FromOtherThreads_EveryWaitInTurnIsWoken()
    {
        // The sink stage waits again and again while the compute workers (threads of their own) set the signal: no
        // wait may be left hanging while sets keep coming.
        var signal = new WakeSignal();
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
}
