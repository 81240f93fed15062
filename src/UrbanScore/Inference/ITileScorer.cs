namespace UrbanScore.Inference;

/// <summary>
/// Runs a classifier over batches of preprocessed tiles. The seam between the pipeline and ONNX Runtime (a
/// deterministic fake scores in pipeline tests). <see cref="Score"/> must allow concurrent calls: the pipeline's
/// compute workers (one per core) each score their own batches.
/// </summary>
public interface ITileScorer : IDisposable
{
    /// <summary>Layout the input buffers must have.</summary>
    ModelInputSpec Input { get; }

    /// <summary>Class labels in output order.</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Largest batch one <see cref="Score"/> call accepts.</summary>
    int MaxBatchSize { get; }

    /// <summary>
    /// Scores <paramref name="count"/> images laid out back to back in <paramref name="input"/>
    /// (<paramref name="count"/> × <see cref="ModelInputSpec.ValuesPerImage"/> floats) and writes
    /// <paramref name="count"/> × <see cref="Labels"/>.Count probabilities into <paramref name="scores"/>, image-major.
    /// </summary>
    /// <param name="input">Pinned or pooled input planes; the scorer reads them without copying where it can.</param>
    /// <param name="count">Images in the batch, 1..<see cref="MaxBatchSize"/>.</param>
    /// <param name="scores">Destination for the probabilities.</param>
    void Score(Memory<float> input, int count, Span<float> scores);
}
