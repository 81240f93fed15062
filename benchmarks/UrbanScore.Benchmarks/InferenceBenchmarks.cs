using BenchmarkDotNet.Attributes;
using UrbanScore.Imaging;
using UrbanScore.Inference;

namespace UrbanScore.Benchmarks;

/// <summary>One ORT call at batch 1, 8 and 32 on pre-filled tensors (figures per call: divide by Batch for per tile).
/// Allocated bytes per call is what the output handling costs.</summary>
[Config(typeof(Config))]
public class InferenceBenchmarks
{
    private OnnxTileScorer _scorer = null!;
    private float[] _input = null!;
    private float[] _scores = null!;

    [Params(1, 8, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = ModelInspector.Inspect(BenchData.ModelPath());
        _scorer = new OnnxTileScorer(model, new OnnxScorerOptions { BatchSize = Batch, IntraOpThreads = Environment.ProcessorCount });
        _input = InferenceInput.Fill(model.Input, Batch);
        _scores = new float[Batch * model.Labels.Count];
        InferenceInput.ValidateBatchEqualsSingle(_scorer, _input, Batch);
    }

    [GlobalCleanup]
    public void Cleanup() => _scorer.Dispose();

    [Benchmark(Description = "ORT Run (one call)")]
    public float Run()
    {
        _scorer.Score(_input, Batch, _scores);
        return _scores[0];
    }
}

/// <summary>Tensors filled from real tiles, and the batch-vs-single check every inference benchmark runs first.</summary>
internal static class InferenceInput
{
    public static float[] Fill(ModelInputSpec spec, int batch)
    {
        var tiles = BenchData.Tiles(Math.Min(batch, 8));
        var input = GC.AllocateUninitializedArray<float>(batch * spec.ValuesPerImage, pinned: true);
        using var preprocessor = new TilePreprocessor(spec);
        for (var i = 0; i < batch; i++)
        {
            preprocessor.Fill(tiles[i % tiles.Count], input.AsSpan(i * spec.ValuesPerImage, spec.ValuesPerImage));
        }

        return input;
    }

    public static void ValidateBatchEqualsSingle(ITileScorer scorer, float[] input, int batch)
    {
        var classes = scorer.Labels.Count;
        var batched = new float[batch * classes];
        var single = new float[classes];
        scorer.Score(input, batch, batched);
        scorer.Score(input.AsMemory(0, scorer.Input.ValuesPerImage), 1, single);
        for (var k = 0; k < classes; k++)
        {
            if (Math.Abs(batched[k] - single[k]) > 1e-3f || !float.IsFinite(batched[k]))
            {
                throw new InvalidOperationException($"batched score {batched[k]} differs from single {single[k]}");
            }
        }
    }
}
