namespace UrbanScore.Pipeline;

/// <summary>
/// An asynchronous auto-reset signal for one waiter: <see cref="Set"/> completes the pending <see cref="WaitAsync"/>, or
/// the next one when nobody waits. A stage that would otherwise wait on a channel waits on one of these instead, so the
/// stages beside it wake it once per burst rather than once per item (see <see cref="ScoringPipeline"/>): the sink stage
/// (set by the compute workers) and the producer (set by the fetch workers), one waiter per instance. The waiter runs
/// either on the thread that sets the signal (<paramref name="inline"/>: the sink stage when the pipeline's compute
/// workers fill every core, <see cref="PipelineTuning.WakeInline"/>) or on a thread-pool thread. Thread-safe.
/// </summary>
/// <param name="inline">Whether <see cref="Set"/> runs the waiter's continuation on the setting thread.</param>
internal sealed class WakeSignal(bool inline)
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

            // Inline, Set runs the waiter's continuation (outside the lock) until the waiter next awaits something
            // pending; otherwise a pool thread is woken for it.
            _waiter = new TaskCompletionSource(inline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
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
