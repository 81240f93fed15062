using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;

namespace UrbanScore.Rendering;

/// <summary>
/// Hands rows of tile scores from the product pass (one reader of the store) to a GeoTIFF writer running on its own
/// thread, so the store is read once for every product and the writers compress while the pass goes on. Bounded: the
/// pass waits when the writer is <see cref="Capacity"/> rows behind, so memory does not grow with the area.
/// </summary>
/// <remarks>Dispose it after the reading thread has finished: it returns the rows still queued to the pool.</remarks>
internal sealed class RowFeed : IDisposable
{
    /// <summary>Rows queued at most.</summary>
    public const int Capacity = 32;

    private readonly BlockingCollection<(int Row, float[] Scores)> _rows = new(Capacity);
    private readonly int _width;
    private readonly CancellationToken _cancellationToken;

    /// <summary>Creates a feed of rows of <paramref name="width"/> scores.</summary>
    /// <param name="width">Scores per row.</param>
    /// <param name="cancellationToken">Cancelled when either side fails: stops the other side's wait.</param>
    public RowFeed(int width, CancellationToken cancellationToken)
    {
        _width = width;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Queues a copy of <paramref name="scores"/> (the pass's thread); waits while the feed is full.</summary>
    public void Publish(int row, ReadOnlySpan<float> scores)
    {
        var copy = ArrayPool<float>.Shared.Rent(_width);
        scores.CopyTo(copy);
        try
        {
            _rows.Add((row, copy), _cancellationToken);
        }
        catch
        {
            ArrayPool<float>.Shared.Return(copy);
            throw;
        }
    }

    /// <summary>No more rows.</summary>
    public void Complete() => _rows.CompleteAdding();

    /// <summary>A <see cref="GeoTiffRowReader"/>: takes the next row (the writer's thread), which must be <paramref name="tileRow"/>.</summary>
    public void Read(int tileRow, Span<float> scores)
    {
        var (row, copy) = _rows.Take(_cancellationToken);
        try
        {
            if (row != tileRow)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"GeoTIFF rows out of step: the writer asked for row {tileRow}, the pass sent {row}."));
            }

            copy.AsSpan(0, _width).CopyTo(scores);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(copy);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        while (_rows.TryTake(out var item))
        {
            ArrayPool<float>.Shared.Return(item.Scores);
        }

        _rows.Dispose();
    }
}
