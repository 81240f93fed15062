using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace UrbanScore.Rendering;

/// <summary>
/// Writes tile files on a thread of its own, in the order they are added, through one <see cref="TileFileLinker"/>: the
/// product pass hands a pyramid row's encoded tiles over and goes on reading, summing and encoding the next rows while
/// the kernel creates the files (about a third of the pass's time on ext4; benchmarks/results/2026-11-30-fixed-costs.md).
/// The order, and so which file each link points to, is the one a single thread would give. A write that fails
/// (disk full) cancels <c>failed</c>, so the pass stops; <see cref="Completion"/> carries the error. Dispose it after
/// the pass: it waits for the thread.
/// </summary>
internal sealed class TileFileQueue : IDisposable
{
    /// <summary>Tiles waiting at most: the pass blocks past this (each holds its PNG bytes: ~1 KiB for most pyramid tiles).</summary>
    private const int Capacity = 1024;

    private readonly BlockingCollection<(string Path, string? Key, byte[] Bytes)> _queue = new(Capacity);
    private readonly TileFileLinker _files = new();
    private readonly CancellationTokenSource _failed;
    private volatile Exception? _writeError;

    /// <summary>Starts the writing thread.</summary>
    /// <param name="failed">Cancelled by a write that fails; cancelling it stops the thread. Borrowed.</param>
    public TileFileQueue(CancellationTokenSource failed)
    {
        _failed = failed;
        Completion = Task.Factory.StartNew(Drain, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Ends when every added file is written (after <see cref="CompleteAdding"/>), or with the first failure.</summary>
    public Task Completion { get; }

    /// <summary>Files written with their bytes (final once <see cref="Completion"/> has ended).</summary>
    public long Written => _files.Written;

    /// <summary>Files made hard links (final once <see cref="Completion"/> has ended).</summary>
    public long Linked => _files.Linked;

    /// <summary>Queues a file; blocks while <see cref="Capacity"/> are waiting.</summary>
    /// <exception cref="IOException">An earlier file could not be written (the writing thread's error, rethrown).</exception>
    /// <exception cref="OperationCanceledException">The pass failed elsewhere.</exception>
    public void Add(string path, string? key, byte[] bytes)
    {
        try
        {
            _queue.Add((path, key, bytes), _failed.Token);
        }
        catch (OperationCanceledException) when (_writeError is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>No more files: the thread ends once the queued ones are written.</summary>
    public void CompleteAdding() => _queue.CompleteAdding();

    /// <inheritdoc />
    public void Dispose()
    {
        _queue.CompleteAdding();
        try
        {
            Completion.Wait(CancellationToken.None);
        }
        catch (AggregateException)
        {
            // Reported by whoever awaited Completion; disposing only makes sure the thread is gone.
        }

        _queue.Dispose();
    }

    private void Drain()
    {
        try
        {
            foreach (var (path, key, bytes) in _queue.GetConsumingEnumerable(_failed.Token))
            {
                _files.Write(path, key, bytes);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Recorded before cancelling, so an Add woken by the cancellation finds it.
            _writeError = error;
            _failed.Cancel();
            throw;
        }
    }
}
