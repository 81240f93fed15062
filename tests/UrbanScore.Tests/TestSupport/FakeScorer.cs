using UrbanScore.Inference;

namespace UrbanScore.Tests.TestSupport;

/// <summary>
/// A deterministic stand-in for the ONNX scorer in pipeline tests: P(city) = mean of the red plane / 255, so a test
/// knows each tile's score from the colour it served. Optionally throws for batches holding a marked tile.
/// </summary>
internal sealed class FakeScorer : ITileScorer
{
    public FakeScorer(int size = 8, int maxBatch = 4, ChannelOrder order = ChannelOrder.Bgr)
    {
        Input = new ModelInputSpec(size, size, order, 1f);
        MaxBatchSize = maxBatch;
    }

    public ModelInputSpec Input { get; }

    public IReadOnlyList<string> Labels { get; } = ["city", "not_city"];

    public int MaxBatchSize { get; }

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When set, a batch containing an image whose mean red is in this range throws (a model fault).</summary>
    public (float Min, float Max)? ThrowForRed { get; init; }

    /// <summary>What <see cref="ThrowForRed"/> throws: by default a model error, which fails the batch's tiles.</summary>
    public Func<Exception> Fault { get; init; } = static () => new InvalidOperationException("shape the model rejects");

    public void Score(Memory<float> input, int count, Span<float> scores)
    {
        Interlocked.Increment(ref _calls);
        var plane = Input.Width * Input.Height;
        var redPlane = Input.ChannelOrder == ChannelOrder.Bgr ? 2 : 0;
        for (var i = 0; i < count; i++)
        {
            var red = input.Span.Slice((i * Input.ValuesPerImage) + (redPlane * plane), plane);
            var sum = 0f;
            foreach (var v in red)
            {
                sum += v;
            }

            var p = sum / plane / 255f;
            if (ThrowForRed is { } range && p >= range.Min && p <= range.Max)
            {
                throw Fault();
            }

            scores[i * 2] = p;
            scores[(i * 2) + 1] = 1 - p;
        }
    }

    public void Dispose()
    {
    }
}
