using System.Threading.Channels;

namespace UrbanScore.Pipeline;

/// <summary>
/// Hands out slots of the batch being filled to decode workers, which write tensors straight into them, and passes
/// a batch on once it is full and every slot has been written (or at the end of input, when partial).
/// </summary>
internal sealed class BatchAssembler
{
    private readonly Lock _lock = new();
    private readonly Channel<TensorBatch> _free = Channel.CreateUnbounded<TensorBatch>();
    private readonly ChannelWriter<TensorBatch> _ready;
    private TensorBatch? _current;

    public BatchAssembler(int batchCount, int batchSize, int valuesPerImage, ChannelWriter<TensorBatch> ready)
    {
        _ready = ready;
        for (var i = 0; i < batchCount; i++)
        {
            Recycle(new TensorBatch(batchSize, valuesPerImage));
        }
    }

    /// <summary>Reserves a slot, waiting for a free batch buffer when all are in use (back-pressure from inference).</summary>
    public async ValueTask<(TensorBatch Batch, int Slot)> ReserveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_lock)
            {
                if (_current is { } batch)
                {
                    var slot = batch.Count++;
                    batch.Pending++;
                    if (batch.Count == batch.Capacity)
                    {
                        batch.Sealed = true;
                        _current = null;
                    }

                    return (batch, slot);
                }
            }

            var fresh = await _free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_current is null)
                {
                    fresh.Reset();
                    _current = fresh;
                    continue;
                }
            }

            Recycle(fresh);
        }
    }

    /// <summary>Marks a reserved slot written; sends the batch on when it is sealed and complete.</summary>
    public ValueTask ReleaseAsync(TensorBatch batch, CancellationToken cancellationToken)
    {
        bool send;
        lock (_lock)
        {
            batch.Pending--;
            send = batch.Sealed && batch.Pending == 0;
        }

        return send ? _ready.WriteAsync(batch, cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>At the end of input (all decode workers done): sends the partial batch, if any.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        TensorBatch? batch;
        lock (_lock)
        {
            batch = _current;
            _current = null;
        }

        if (batch is { Count: > 0 })
        {
            batch.Sealed = true;
            await _ready.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        else if (batch is not null)
        {
            Recycle(batch);
        }
    }

    /// <summary>Returns a scored batch's buffer to the pool (the pool is not data: an unbounded write cannot fail).</summary>
    public void Recycle(TensorBatch batch) => _free.Writer.TryWrite(batch);
}
