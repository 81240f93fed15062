using System.Diagnostics;
using System.Threading.Channels;
using UrbanScore.Imaging;
using UrbanScore.Inference;
using UrbanScore.Observability;
using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Pipeline;

/// <summary>
/// The scoring pipeline: tiles → N fetch workers → M decode workers writing tensors straight into pooled batch
/// slots → one inference stage → the sinks. Stages are joined by bounded channels (back-pressure: the area is never
/// held in memory), every stage task is awaited, and the first failure cancels the rest and is rethrown. A per-tile
/// failure (HTTP, decode, or a model error for one batch) is an outcome, not an exception.
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
    /// <param name="scorer">The model.</param>
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
        var tileChannel = Channel.CreateBounded<TileIndex>(new BoundedChannelOptions(capacity) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var fetchedChannel = Channel.CreateBounded<(FetchedTile Tile, long Stamp)>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
        var readyChannel = Channel.CreateBounded<TensorBatch>(new BoundedChannelOptions(Math.Max(1, _options.BatchesInFlight)) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var resultChannel = Channel.CreateBounded<TileOutcome>(new BoundedChannelOptions(capacity * 2) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var batchSize = Math.Max(1, _scorer.MaxBatchSize);
        var assembler = new BatchAssembler(Math.Max(2, _options.BatchesInFlight), batchSize, _scorer.Input.ValuesPerImage, readyChannel.Writer);
        long batches = 0;
        using var queues = UrbanScoreMetrics.TrackQueues(
            new("tiles", () => tileChannel.Reader.Count), new("fetched", () => fetchedChannel.Reader.Count),
            new("batches", () => readyChannel.Reader.Count), new("outcomes", () => resultChannel.Reader.Count));
        var metrics = _options.Metrics;

        var produce = Stage(cts, tileChannel.Writer, async () =>
        {
            foreach (var tile in tiles)
            {
                await tileChannel.Writer.WriteAsync(tile, token).ConfigureAwait(false);
                UrbanScoreMetrics.TilesPlanned.Add(1);
            }
        });

        var fetch = Stage(cts, fetchedChannel.Writer, () => Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.FetchConcurrency)).Select(_ => Task.Run(async () =>
        {
            await foreach (var tile in tileChannel.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                var started = Stopwatch.GetTimestamp();
                var fetched = await _source.FetchAsync(tile, token).ConfigureAwait(false);
                var stamp = Stopwatch.GetTimestamp();
                metrics?.Fetch.RecordTicks(stamp - started);
                UrbanScoreMetrics.RecordFetch(FetchWord(fetched.Status), Stopwatch.GetElapsedTime(started, stamp));
                try
                {
                    await fetchedChannel.Writer.WriteAsync((fetched, stamp), token).ConfigureAwait(false);
                }
                catch
                {
                    fetched.ReturnBuffer();
                    throw;
                }
            }
        }, token))));

        var decode = Stage(cts, readyChannel.Writer, async () =>
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.DecodeWorkers)).Select(_ => Task.Run(() => DecodeWorkerAsync(fetchedChannel.Reader, assembler, resultChannel.Writer, token), token))).ConfigureAwait(false);
            await assembler.FlushAsync(token).ConfigureAwait(false);
        });

        var score = Task.Run(async () =>
        {
            try
            {
                var reader = readyChannel.Reader;
                while (true)
                {
                    var waitStarted = Stopwatch.GetTimestamp();
                    TensorBatch? batch;
                    while (!reader.TryRead(out batch))
                    {
                        if (!await reader.WaitToReadAsync(token).ConfigureAwait(false))
                        {
                            break;
                        }
                    }

                    if (batch is null)
                    {
                        break;
                    }

                    metrics?.InferenceQueueWait.RecordSince(waitStarted);
                    await ScoreBatchAsync(batch, resultChannel.Writer, token).ConfigureAwait(false);
                    Interlocked.Increment(ref batches);
                    assembler.Recycle(batch);
                }
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                await cts.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, token);

        var results = Task.Run(async () =>
        {
            try
            {
                await Task.WhenAll(decode, score).ConfigureAwait(false);
                resultChannel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                resultChannel.Writer.TryComplete(ex);
                throw;
            }
        }, CancellationToken.None);

        var counts = new long[3];
        var sink = Task.Run(async () =>
        {
            var lastReport = TimeSpan.Zero;
            try
            {
                // The sink stage reads until the channel completes, even after cancellation, so nothing scored is lost.
                await foreach (var outcome in resultChannel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
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
        }, CancellationToken.None);

        try
        {
            await Task.WhenAll(produce, fetch, decode, score, results, sink).ConfigureAwait(false);
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

    private async Task DecodeWorkerAsync(ChannelReader<(FetchedTile Tile, long Stamp)> reader, BatchAssembler assembler, ChannelWriter<TileOutcome> results, CancellationToken token)
    {
        var metrics = _options.Metrics;
        using var preprocessor = new TilePreprocessor(_scorer.Input);
        await foreach (var (fetched, stamp) in reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            var decodeStarted = Stopwatch.GetTimestamp();
            metrics?.DecodeQueueWait.RecordTicks(decodeStarted - stamp);
            if (!fetched.HasImage)
            {
                var verdict = fetched.Status == FetchStatus.Empty ? TileStatus.Empty : TileStatus.Failed;
                await results.WriteAsync(new TileOutcome(fetched.Tile, verdict, float.NaN, default, fetched.Kind, fetched.Reason, fetched.Attempts), token).ConfigureAwait(false);
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
                await results.WriteAsync(new TileOutcome(fetched.Tile, status, float.NaN, default, kind, decoded.Reason, fetched.Attempts), token).ConfigureAwait(false);
                continue;
            }

            var reserveStarted = Stopwatch.GetTimestamp();
            var (batch, slot) = await assembler.ReserveAsync(token).ConfigureAwait(false);
            var reserved = Stopwatch.GetTimestamp();
            metrics?.SlotWait.RecordTicks(reserved - reserveStarted);
            try
            {
                preprocessor.WriteTensor(batch.Slot(slot));
                batch.Tiles[slot] = fetched.Tile;
                batch.Attempts[slot] = fetched.Attempts;
                metrics?.Decode.RecordTicks(reserveStarted - decodeStarted + Stopwatch.GetTimestamp() - reserved);
            }
            finally
            {
                await assembler.ReleaseAsync(batch, token).ConfigureAwait(false);
            }
        }
    }

    private async Task ScoreBatchAsync(TensorBatch batch, ChannelWriter<TileOutcome> results, CancellationToken token)
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

            await results.WriteAsync(outcome, token).ConfigureAwait(false);
        }
    }

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
