namespace UrbanScore.Sources;

/// <summary>
/// Keeps the requests one host receives to at most N in any window of 1 s (for rates below 1/s: one per 1/rps s),
/// as the server sees them. A request counts from the moment it is sent until one window after its response headers
/// arrived (in flight = counted): since the server saw it somewhere in between, no window at the server can hold
/// more than N. Spacing sends by 1/rps is not enough: a cold connection delays early requests so they arrive
/// bunched with later ones (measured: 12–14 in one second at a limit of 10, also with .NET's
/// TokenBucketRateLimiter). Thread-safe.
/// </summary>
internal sealed class RequestSpacer
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);
    private readonly Lock _lock = new();
    private readonly Queue<long> _completed = new();
    private readonly int _permits;
    private readonly long _windowTicks;
    private int _inFlight;

    public RequestSpacer(double requestsPerSecond)
    {
        _permits = Math.Max(1, (int)Math.Floor(requestsPerSecond));
        _windowTicks = (long)Math.Ceiling(TimeSpan.TicksPerSecond * (requestsPerSecond >= 1 ? 1.0 : 1.0 / requestsPerSecond));
    }

    /// <summary>Waits for a permit; the caller must call <see cref="Release"/> when the response headers arrive.</summary>
    public async Task AcquireAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetUtcNow().UtcTicks;
                while (_completed.Count > 0 && _completed.Peek() <= now - _windowTicks)
                {
                    _completed.Dequeue();
                }

                if (_inFlight + _completed.Count < _permits)
                {
                    _inFlight++;
                    return;
                }

                wait = _completed.Count > 0 ? TimeSpan.FromTicks(_completed.Peek() + _windowTicks - now) : s_poll;
            }

            await Task.Delay(wait < s_poll ? wait : s_poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks a request answered (or abandoned).</summary>
    public void Release(TimeProvider time)
    {
        lock (_lock)
        {
            _inFlight--;
            _completed.Enqueue(time.GetUtcNow().UtcTicks);
        }
    }
}
