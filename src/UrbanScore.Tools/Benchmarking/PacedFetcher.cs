using UrbanScore.Sources;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>
/// The HTTP work of a pipeline without the pipeline, for the per-core limit beside fetching: one tile fetched (and its
/// buffer returned) for every tile the limit's workers report scored, with up to <c>concurrency</c> requests in flight.
/// Fetching goes in bursts, as the pipeline's refill gate lets it: the gate opens once the workers have scored
/// <c>burst</c> tiles more than were fetched and closes when fetching has caught up, and it opens on the scoring
/// thread, whose continuations resume the waiting fetch workers in turn until each request is sent (the pipeline's
/// inline wake-ups on a machine its compute workers fill). Fetching never runs ahead of scoring.
/// Owns its fetch workers: they start in the constructor and <see cref="DisposeAsync"/> stops them and awaits the
/// requests in flight. The source (and its HTTP client) stays the caller's. Thread-safe.
/// </summary>
internal sealed class PacedFetcher : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly ITileSource _source;
    private readonly int _burst;
    private readonly CancellationToken _cancellationToken;
    private readonly Task[] _workers;
    private TaskCompletionSource _open = new();
    private long _scored;
    private long _fetched;
    private bool _stopping;

    /// <summary>Starts <paramref name="concurrency"/> fetch workers on <paramref name="source"/>, waiting for tiles to be scored.</summary>
    /// <param name="source">Where the tiles come from (a bench tile server).</param>
    /// <param name="concurrency">Requests in flight at most.</param>
    /// <param name="burst">Tiles scored beyond those fetched that open the gate.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public PacedFetcher(ITileSource source, int concurrency, int burst, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        (_source, _burst, _cancellationToken) = (source, burst, cancellationToken);
        _workers = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync, CancellationToken.None))];
    }

    /// <summary>Requests sent so far.</summary>
    public long Fetched => Interlocked.Read(ref _fetched);

    /// <summary>Tiles reported scored so far.</summary>
    public long ScoredTiles => Interlocked.Read(ref _scored);

    /// <summary>The scoring workers have scored <paramref name="tiles"/> more: as many more tiles are owed.</summary>
    /// <param name="tiles">Tiles scored.</param>
    public void Scored(int tiles)
    {
        TaskCompletionSource? opened = null;
        lock (_lock)
        {
            _scored += tiles;
            if (!_open.Task.IsCompleted && _scored - _fetched >= _burst)
            {
                opened = _open;
            }
        }

        // Outside the lock: the waiting workers resume here, each until its request goes asynchronous.
        opened?.TrySetResult();
    }

    /// <summary>Stops the fetch workers and waits for the requests in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        TaskCompletionSource open;
        lock (_lock)
        {
            _stopping = true;
            open = _open;
        }

        open.TrySetResult();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private async Task WorkAsync()
    {
        while (true)
        {
            Task? closed = null;
            long index;
            lock (_lock)
            {
                if (_stopping)
                {
                    return;
                }

                if (_open.Task.IsCompleted && _fetched < _scored)
                {
                    index = ++_fetched;
                }
                else
                {
                    // Caught up (or never opened): close the gate until the workers are a burst ahead again.
                    if (_open.Task.IsCompleted)
                    {
                        _open = new TaskCompletionSource();
                    }

                    closed = _open.Task;
                    index = 0;
                }
            }

            if (closed is not null)
            {
                await closed.ConfigureAwait(false);
                continue;
            }

            var tile = await _source.FetchAsync(BenchRunner.FetchedTile(index), _cancellationToken).ConfigureAwait(false);
            tile.ReturnBuffer();
        }
    }
}
