namespace UrbanScore.Pipeline;

/// <summary>
/// An asynchronous auto-reset signal for one waiter: <see cref="Set"/> completes the pending <see cref="WaitAsync"/>, or
/// the next one when nobody waits. A stage that would otherwise wait on a channel waits on one of these instead, so the
/// stages beside it wake it once per burst rather than once per item (see <see cref="ScoringPipeline"/>): the sink stage
/// (set by the compute workers) and the producer (set by the fetch workers), one waiter per instance. Thread-safe.
/// </summary>
internal sealed class WakeSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    /// <summary>Whether the waiter is waiting now (a hint: it may be woken or start waiting right after).</summary>
    public bool IsWaiting => Volatile.Read(ref _waiter) is not null;

    /// <summary>Completes at the next <see cref="Set"/>, or at once if one came since the last wait.</summary>
    public Task WaitAsync()
    {
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }

            // The waiter's continuation runs on the pool, not inside the worker that sets the signal.
            _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }

    /// <summary>
    /// <see cref="WaitAsync()"/>, passed at once when <paramref name="due"/> holds once the wait is registered: a setter
    /// checks <see cref="IsWaiting"/> after changing what <paramref name="due"/> reads, so one that changed it just
    /// before saw no waiter. <paramref name="due"/> must read that state under the same lock the setter changes it in.
    /// </summary>
    public Task WaitAsync<TState>(Func<TState, bool> due, TState state)
    {
        ArgumentNullException.ThrowIfNull(due);
        var woken = WaitAsync();
        if (due(state))
        {
            Set();
        }

        return woken;
    }

    /// <summary>Wakes the waiter, or lets its next wait through.</summary>
    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = null;
            _set = waiter is null;
        }

        waiter?.TrySetResult();
    }
}
