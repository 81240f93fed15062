using System.Diagnostics;
using System.Threading.Channels;
using UrbanScore.Imaging;
using UrbanScore.Inference;
using UrbanScore.Observability;
using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Pipeline;

/// <summary>
/// The scoring pipeline: tiles → N fetch workers → one compute worker per core → the sinks. Each compute worker
/// decodes fetched tiles straight into its own pinned batch and scores that batch itself with a single-threaded
/// ONNX Runtime <c>Run</c>: no tensor crosses a thread, and no inference thread waits for another at every operator
/// while a decode holds its core (docs/performance.md, "the per-core limit"). Fetching and the sinks stay
/// asynchronous around the workers. Stages are joined by bounded channels (back-pressure: the area is never held in
/// memory), every stage task is awaited, and the first failure cancels the rest and is rethrown. A per-tile failure
/// (HTTP, decode, or a model error for one batch) is an outcome, not an exception.
/// Borrows the source, scorer and sinks: the caller owns and disposes them.
/// </summary>
public sealed class ScoringPipeline
{
    private readonly ITileSource _source;
    private readonly ITileScorer _scorer;
    private readonly PositiveLabels _positiveLabels;
    private readonly PipelineOptions _options;

    /// <summary>Creates a pipeline.</summary>
    /// <param name="source">Where tiles come from.</param>
    /// <param name="scorer">The model; its <see cref="ITileScorer.Score"/> is called by several workers at once.</param>
    /// <param name="positiveLabels">The label(s) of <see cref="ITileScorer.Labels"/> whose probability is the score.</param>
    /// <param name="options">Stage sizes.</param>
    public ScoringPipeline(ITileSource source, ITileScorer scorer, PositiveLabels positiveLabels, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(positiveLabels);
        ArgumentNullException.ThrowIfNull(options);
        _source = source;
        _scorer = scorer;
        _positiveLabels = positiveLabels;
        _options = options;
    }

    /// <summary>
    /// Completes when the scorer can score. The fetch workers start at once and fill the queue meanwhile; the compute
    /// workers start when it completes, and a fault fails the run with its reason (a model that cannot be opened is not
    /// a per-batch failure). Default: already complete.
    /// </summary>
    internal Task ScorerReady { get; init; } = Task.CompletedTask;

    /// <summary>Scores every tile of <paramref name="tiles"/> (streamed) and hands each outcome to the sinks.</summary>
    /// <param name="tiles">The tiles to score, enumerated lazily on one task.</param>
    /// <param name="total">Number of tiles, for progress, or null when unknown.</param>
    /// <param name="sinks">Receivers of the outcomes.</param>
    /// <param name="progress">Progress reports, or null.</param>
    /// <param name="cancellationToken">Stops the run; what was scored is flushed to the sinks first.</param>
    public async Task<PipelineResult> RunAsync(
        IEnumerable<TileIndex> tiles,
        long? total,
        IReadOnlyList<ITileSink> sinks,
        IProgress<PipelineProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(sinks);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cts.Token;
        var stopwatch = Stopwatch.StartNew();
        var capacity = Math.Max(1, _options.ChannelCapacity);
        var fetchers = Math.Max(1, _options.FetchConcurrency);

        var tileCapacity = Math.Max(1, _options.TileQueueCapacity);
        var tileChannel = Channel.CreateBounded<TileIndex>(new BoundedChannelOptions(tileCapacity) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

        // The gate holds the queue at `capacity`; the fetches already past it when it closes land in the slack above,
        // instead of each blocking its worker until a compute worker takes a tile (a thread-pool work item apiece).
        var fetchedChannel = Channel.CreateBounded<(FetchedTile Tile, long Stamp)>(new BoundedChannelOptions(capacity + fetchers) { FullMode = BoundedChannelFullMode.Wait });
        var resultChannel = Channel.CreateBounded<TileOutcome>(new BoundedChannelOptions(capacity * 2) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        long batches = 0;
        var workers = Math.Max(1, _options.DecodeWorkers);
        var gate = new RefillGate(capacity, _options.WakeInline);
        var sinkWake = new WakeSignal(_options.WakeInline);

        // The producer always wakes on the pool: it enumerates the area lazily, skipping the tiles a resumed run has
        // done, which can take long enough to stall the fetch worker (or the socket thread) that woke it.
        var producerWake = new WakeSignal(inline: false);

        // The producer refills the tile channel from half empty, in one go.
        var producerLowWater = tileCapacity / 2;

        // The sink stage is woken once this many outcomes wait (32 by default): half the fetched queue.
        var sinkBurst = Math.Max(1, capacity / 2);
        var results = new OutcomeWriter(resultChannel, sinkWake, sinkBurst, token);
        using var queues = UrbanScoreMetrics.TrackQueues(
            new("tiles", () => tileChannel.Reader.Count), new("fetched", () => fetchedChannel.Reader.Count),
            new("outcomes", () => resultChannel.Reader.Count));

        var produce = Stage(cts, tileChannel.Writer, () => ProduceAsync(tiles, tileChannel, producerWake, producerLowWater, token));
        var fetch = Stage(cts, fetchedChannel.Writer, () => Task.WhenAll(Enumerable.Range(0, fetchers).Select(_ => Task.Run(
            () => FetchWorkerAsync(tileChannel.Reader, producerWake, producerLowWater, fetchedChannel, gate, token),
            token))));

        // One long-running thread per worker: each is a synchronous CPU loop that only blocks when it has nothing to
        // do, so it must not hold a thread-pool thread that the fetch and sink continuations need.
        var compute = Stage(cts, resultChannel.Writer, async () =>
        {
            await ScorerReady.WaitAsync(token).ConfigureAwait(false);
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        Interlocked.Add(ref batches, ComputeWorker(fetchedChannel.Reader, results, gate, token));
                    }
                    finally
                    {
                        // However the worker ends, what it wrote goes to the sinks: after a failure the channel only
                        // completes once drained, so the sink stage must not sit waiting for a burst.
                        results.WakeSink();
                    }
                },
                token,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))).ConfigureAwait(false);
        });

        var counts = new long[3];
        var sink = Task.Run(() => SinkAsync(resultChannel.Reader, sinkWake, sinkBurst, sinks, counts, total, progress, stopwatch, cts), CancellationToken.None);

        try
        {
            await Task.WhenAll(produce, fetch, compute, sink).ConfigureAwait(false);
        }
        finally
        {
            // Pooled tile bytes left in a channel after a failure go back to the pool.
            while (fetchedChannel.Reader.TryRead(out var leftover))
            {
                leftover.Tile.ReturnBuffer();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(Snapshot(counts, total, stopwatch.Elapsed));
        return new PipelineResult(counts[0], counts[1], counts[2], stopwatch.Elapsed, Interlocked.Read(ref batches));
    }

    /// <summary>
    /// The produce stage: enumerates the tiles (lazily, on one task) into the tile channel. When the channel is full it
    /// waits on <paramref name="wake"/>, which the fetch workers set once they have taken it down to
    /// <paramref name="low"/>: waiting on the channel itself would cost a thread-pool work item for every tile taken.
    /// </summary>
    private static async Task ProduceAsync(IEnumerable<TileIndex> tiles, Channel<TileIndex> channel, WakeSignal wake, int low, CancellationToken token)
    {
        foreach (var tile in tiles)
        {
            // TryWrite does not look at the token: stop enumerating (and asking the store) once the run is cancelled.
            token.ThrowIfCancellationRequested();
            while (!channel.Writer.TryWrite(tile))
            {
                // The count takes the channel's lock, as a fetch worker's take does.
                var woken = wake.WaitAsync(static s => s.Reader.Count <= s.Low, (channel.Reader, Low: low));
                await woken.WaitAsync(token).ConfigureAwait(false);
            }

            UrbanScoreMetrics.TilesPlanned.Add(1);
        }
    }

    /// <summary>
    /// One fetch worker: fetches each tile from the source and passes it on with the time it arrived (the decode
    /// queue wait is measured from there). A fetched tile that cannot be passed on gives its pooled bytes back. The
    /// workers refill the queue in bursts (<see cref="RefillGate"/>): a worker that fills it closes the gate, and the
    /// compute workers open it again at its low-water mark. A worker that takes the tile channel down to
    /// <paramref name="producerLowWater"/> wakes the producer.
    /// </summary>
    private async Task FetchWorkerAsync(ChannelReader<TileIndex> input, WakeSignal producerWake, int producerLowWater, Channel<(FetchedTile Tile, long Stamp)> fetchedChannel, RefillGate gate, CancellationToken token)
    {
        var metrics = _options.Metrics;
        var output = fetchedChannel.Writer;
        await foreach (var tile in input.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (producerWake.IsWaiting && input.Count <= producerLowWater)
            {
                producerWake.Set();
            }

            await gate.WaitAsync(token).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            var fetched = await _source.FetchAsync(tile, token).ConfigureAwait(false);
            var stamp = Stopwatch.GetTimestamp();
            metrics?.Fetch.RecordTicks(stamp - started);
            UrbanScoreMetrics.RecordFetch(FetchWord(fetched.Status), Stopwatch.GetElapsedTime(started, stamp));
            try
            {
                await output.WriteAsync((fetched, stamp), token).ConfigureAwait(false);
            }
            catch
            {
                fetched.ReturnBuffer();
                throw;
            }

            gate.Added(fetchedChannel.Reader);
        }
    }

    /// <summary>
    /// The sink stage: counts each outcome into <paramref name="counts"/> (scored, empty, failed), hands it to every
    /// sink and reports progress; flushes the sinks at the end whatever happened. A sink failure cancels the run. With
    /// the channel drained, it waits until a compute worker sets <paramref name="wake"/> (<paramref name="burst"/>
    /// outcomes wait, the channel is full, a worker runs out of tiles or ends) or the channel completes: waiting on
    /// the channel itself would cost a thread-pool wake-up per batch.
    /// </summary>
    private async Task SinkAsync(
        ChannelReader<TileOutcome> input,
        WakeSignal wake,
        int burst,
        IReadOnlyList<ITileSink> sinks,
        long[] counts,
        long? total,
        IProgress<PipelineProgress>? progress,
        Stopwatch stopwatch,
        CancellationTokenSource cts)
    {
        var metrics = _options.Metrics;
        var lastReport = TimeSpan.Zero;
        try
        {
            // The sink stage reads until the channel completes, even after cancellation, so nothing scored is lost.
            while (true)
            {
                while (input.TryRead(out var outcome))
                {
                    counts[(int)outcome.Status]++;
                    RecordOutcome(outcome);
                    var writeStarted = Stopwatch.GetTimestamp();
                    foreach (var s in sinks)
                    {
                        await s.WriteAsync(outcome, CancellationToken.None).ConfigureAwait(false);
                    }

                    metrics?.Write.RecordSince(writeStarted);

                    if (progress is not null && stopwatch.Elapsed - lastReport >= _options.ProgressInterval)
                    {
                        lastReport = stopwatch.Elapsed;
                        progress.Report(Snapshot(counts, total, stopwatch.Elapsed));
                    }
                }

                if (input.Completion.IsCompleted)
                {
                    break;
                }

                // The count takes the channel's lock, as a worker's write does: either the worker sees this waiter or
                // the count sees its outcome.
                var woken = wake.WaitAsync(static s => s.Input.Count >= s.Burst, (Input: input, Burst: burst));
                await Task.WhenAny(woken, input.Completion).ConfigureAwait(false);
            }

            // Rethrows the compute stage's failure itself (reading the channel wrapped it in ChannelClosedException);
            // RunAsync reports the compute stage's first either way.
            await input.Completion.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            foreach (var s in sinks)
            {
                await s.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One compute worker: takes fetched tiles, decodes each into the next slot of its own batch, and scores the batch
    /// on this thread when it is full, or as soon as no fetched tile is waiting (a starved worker does not sit on
    /// decoded tiles). Opens the fetch workers' gate when the queue is down to its low-water mark. Returns the number of
    /// batches scored.
    /// </summary>
    private long ComputeWorker(ChannelReader<(FetchedTile Tile, long Stamp)> reader, OutcomeWriter results, RefillGate gate, CancellationToken token)
    {
        var metrics = _options.Metrics;
        using var preprocessor = new TilePreprocessor(_scorer.Input);
        var batch = new TensorBatch(Math.Max(1, _scorer.MaxBatchSize), _scorer.Input.ValuesPerImage);
        long batches = 0;
        while (true)
        {
            if (!reader.TryRead(out var item))
            {
                if (batch.Count > 0)
                {
                    ScoreBatch(batch, results);
                    batches++;
                    continue;
                }

                // Out of tiles: the outcomes written so far go to the sinks now, not at the next burst.
                results.WakeSink();
                if (!Wait(reader.WaitToReadAsync(token)))
                {
                    break;
                }

                continue;
            }

            gate.Taken(reader);

            var (fetched, stamp) = item;
            var decodeStarted = Stopwatch.GetTimestamp();
            metrics?.DecodeQueueWait.RecordTicks(decodeStarted - stamp);
            if (!fetched.HasImage)
            {
                var verdict = fetched.Status == FetchStatus.Empty ? TileStatus.Empty : TileStatus.Failed;
                results.Write(new TileOutcome(fetched.Tile, verdict, float.NaN, default, fetched.Kind, fetched.Reason, fetched.Attempts));
                continue;
            }

            DecodeResult decoded;
            try
            {
                decoded = preprocessor.Decode(fetched.Bytes);
            }
            finally
            {
                fetched.ReturnBuffer();
            }

            if (decoded.Status != DecodeStatus.Image)
            {
                var (status, kind) = decoded.Status == DecodeStatus.Blank ? (TileStatus.Empty, FailureKind.Blank) : (TileStatus.Failed, FailureKind.Decode);
                results.Write(new TileOutcome(fetched.Tile, status, float.NaN, default, kind, decoded.Reason, fetched.Attempts));
                continue;
            }

            var slot = batch.Count++;
            preprocessor.WriteTensor(batch.Slot(slot));
            batch.Tiles[slot] = fetched.Tile;
            batch.Attempts[slot] = fetched.Attempts;
            metrics?.Decode.RecordSince(decodeStarted);
            if (batch.Count == batch.Capacity)
            {
                ScoreBatch(batch, results);
                batches++;
            }
        }

        if (batch.Count > 0)
        {
            ScoreBatch(batch, results);
            batches++;
        }

        return batches;
    }

    private void ScoreBatch(TensorBatch batch, OutcomeWriter results)
    {
        var labelCount = _scorer.Labels.Count;

        // One small array per batch (not per tile): the outcomes slice it, and sinks may read it after we move on.
        var scores = new float[batch.Count * labelCount];
        string? failure = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            _scorer.Score(batch.Input.AsMemory(0, batch.Count * batch.ValuesPerImage), batch.Count, scores);
        }
#pragma warning disable CA1031 // A model that rejects one batch fails those tiles, with the message, and the run goes on.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            failure = "model error: " + ex.Message.ReplaceLineEndings(" ");
        }

        _options.Metrics?.Inference.RecordSince(started);
        UrbanScoreMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

        for (var i = 0; i < batch.Count; i++)
        {
            TileOutcome outcome;
            if (failure is null)
            {
                var labelScores = scores.AsMemory(i * labelCount, labelCount);
                var positive = _positiveLabels.Score(labelScores.Span);
                outcome = new TileOutcome(batch.Tiles[i], TileStatus.Scored, positive, labelScores, FailureKind.None, null, batch.Attempts[i]);
            }
            else
            {
                outcome = new TileOutcome(batch.Tiles[i], TileStatus.Failed, float.NaN, default, FailureKind.Model, failure, batch.Attempts[i]);
            }

            results.Write(outcome);
        }

        batch.Count = 0;
    }

    /// <summary>
    /// A compute worker's side of the outcome channel: writes outcomes, blocking the worker thread (not a pool thread)
    /// while the sinks catch up, and wakes the sink stage when a burst of outcomes waits.
    /// </summary>
    private readonly struct OutcomeWriter(Channel<TileOutcome> channel, WakeSignal sinkWake, int burst, CancellationToken token)
    {
        public void Write(TileOutcome outcome)
        {
            if (!channel.Writer.TryWrite(outcome))
            {
                // Full: the sink stage must be awake to make room.
                sinkWake.Set();
                var write = channel.Writer.WriteAsync(outcome, token);
                if (!write.IsCompletedSuccessfully)
                {
                    write.AsTask().GetAwaiter().GetResult();
                }
            }

            if (sinkWake.IsWaiting && channel.Reader.Count >= burst)
            {
                sinkWake.Set();
            }
        }

        /// <summary>Wakes the sink stage for whatever waits (the worker is out of tiles, or done).</summary>
        public void WakeSink()
        {
            if (channel.Reader.Count > 0)
            {
                sinkWake.Set();
            }
        }
    }

    /// <summary>Blocks a worker thread until the channel has data (true) or is complete (false).</summary>
    private static bool Wait(ValueTask<bool> wait) => wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();

    private static string FetchWord(FetchStatus status) => status switch
    {
        FetchStatus.Image => "image",
        FetchStatus.Empty => "empty",
        _ => "failed",
    };

    private static void RecordOutcome(in TileOutcome outcome)
    {
        switch (outcome.Status)
        {
            case TileStatus.Scored:
                UrbanScoreMetrics.RecordScored();
                break;
            case TileStatus.Empty:
                UrbanScoreMetrics.RecordEmpty(outcome.Kind);
                break;
            default:
                UrbanScoreMetrics.RecordFailed(outcome.Kind);
                break;
        }
    }

    private static PipelineProgress Snapshot(long[] counts, long? total, TimeSpan elapsed) =>
        new(counts[0] + counts[1] + counts[2], total, counts[0], counts[1], counts[2], elapsed);

    private static Task Stage<T>(CancellationTokenSource cts, ChannelWriter<T> output, Func<Task> body) => Task.Run(async () =>
    {
        try
        {
            await body().ConfigureAwait(false);
            output.TryComplete();
        }
        catch (Exception ex)
        {
            output.TryComplete(ex);
            if (ex is not OperationCanceledException)
            {
                await cts.CancelAsync().ConfigureAwait(false);
            }

            throw;
        }
    }, CancellationToken.None);
}
