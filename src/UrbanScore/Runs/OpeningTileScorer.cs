using UrbanScore.Inference;

namespace UrbanScore.Runs;

/// <summary>
/// The scorer a run hands to its job while ONNX Runtime is still building the model's session: its input layout,
/// labels and batch size come from the inspected model, so the store, the sinks and the fetch workers start at once;
/// <see cref="Ready"/> completes when the session is open and warmed up, and the job's compute workers start then.
/// Borrows the session: <see cref="ScoreRun"/> owns it, and disposing this wrapper releases nothing.
/// </summary>
internal sealed class OpeningTileScorer : ITileScorer
{
    private readonly ModelInfo _model;
    private readonly Task<OnnxTileScorer> _opening;

    /// <summary>Wraps the session <paramref name="opening"/> of <paramref name="model"/>.</summary>
    /// <param name="model">The inspected model the session is being built for.</param>
    /// <param name="maxBatchSize">The batch size the session is being built with (its <see cref="OnnxScorerOptions.BatchSize"/>).</param>
    /// <param name="opening">The session being built; faults with the reason when ONNX Runtime cannot open the model.</param>
    public OpeningTileScorer(ModelInfo model, int maxBatchSize, Task<OnnxTileScorer> opening)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(opening);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        _model = model;
        _opening = opening;
        MaxBatchSize = maxBatchSize;
    }

    /// <summary>Completes when the session can score; faults with the reason it cannot.</summary>
    public Task Ready => _opening;

    /// <inheritdoc />
    public ModelInputSpec Input => _model.Input;

    /// <inheritdoc />
    public IReadOnlyList<string> Labels => _model.Labels;

    /// <inheritdoc />
    public int MaxBatchSize { get; }

    /// <inheritdoc />
    /// <remarks>Blocks until the session is open when called before <see cref="Ready"/> completes.</remarks>
    public void Score(Memory<float> input, int count, Span<float> scores) => _opening.GetAwaiter().GetResult().Score(input, count, scores);

    /// <summary>Releases nothing: the session belongs to the <see cref="ScoreRun"/> that opened it.</summary>
    public void Dispose()
    {
    }
}
