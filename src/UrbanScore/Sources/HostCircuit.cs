namespace UrbanScore.Sources;

/// <summary>
/// Slows down for a host that keeps failing: after <c>threshold</c> consecutive failed attempts (429, 5xx, timeouts,
/// broken connections) every request to the host waits until a pause has passed; the pause doubles while failures
/// go on (up to a ceiling) and one success closes the circuit again. Unlike a fail-fast circuit breaker it never
/// turns an outage into failed tiles by itself: requests are held back, not refused, and each tile still has its own
/// retries. Thread-safe.
/// </summary>
internal sealed class HostCircuit
{
    private readonly Lock _lock = new();
    private readonly int _threshold;
    private readonly TimeSpan _firstPause;
    private readonly TimeSpan _maxPause;
    private int _consecutiveFailures;
    private TimeSpan _pause;
    private long _openUntilTicks;
    private long _pauses;

    public HostCircuit(int threshold, TimeSpan firstPause, TimeSpan maxPause)
    {
        _threshold = threshold;
        _firstPause = firstPause;
        _maxPause = maxPause;
        _pause = firstPause;
    }

    /// <summary>Times the circuit opened (paused the host).</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    /// <summary>Waits while the circuit is open.</summary>
    public async Task WaitAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                wait = TimeSpan.FromTicks(_openUntilTicks - time.GetUtcNow().UtcTicks);
            }

            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records an answered request: the host is back.</summary>
    public void OnSuccess()
    {
        lock (_lock)
        {
            _consecutiveFailures = 0;
            _pause = _firstPause;
        }
    }

    /// <summary>Records a failed attempt; opens the circuit when the failures reach the threshold.</summary>
    public void OnFailure(TimeProvider time)
    {
        if (_threshold <= 0)
        {
            return;
        }

        lock (_lock)
        {
            var now = time.GetUtcNow().UtcTicks;
            if (now < _openUntilTicks)
            {
                return; // failures of requests already in flight when it opened do not extend the pause
            }

            if (++_consecutiveFailures < _threshold)
            {
                return;
            }

            _openUntilTicks = now + _pause.Ticks;
            _pause = _pause * 2 > _maxPause ? _maxPause : _pause * 2;
            _consecutiveFailures = 0;
            Interlocked.Increment(ref _pauses);
        }
    }
}
