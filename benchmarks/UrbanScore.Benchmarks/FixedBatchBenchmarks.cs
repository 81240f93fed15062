using BenchmarkDotNet.Attributes;
using UrbanScore.Inference;
using UrbanScore.Pipeline;

namespace UrbanScore.Benchmarks;

/// <summary>
/// The target of docs/performance.md: a fixed-batch-1 model (Custom Vision's newer exports) must reach at least 80% of the throughput
/// of the same network with a dynamic batch. Both score the same 16 tiles per call with the automatic settings
/// (<see cref="PipelineTuning"/>): dynamic = one [16,3,H,W] Run on all cores; fixed = 16 [1,3,H,W] Runs, one per core
/// at a time, one intra-op thread each. The twin is the same file with its batch dimension set to 1 (python3-onnx).
/// </summary>
[Config(typeof(Config))]
public class FixedBatchBenchmarks
{
    private const int Tiles = 16;
    private OnnxTileScorer _dynamic = null!;
    private OnnxTileScorer _fixed = null!;
    private float[] _input = null!;
    private float[] _scores = null!;

    [GlobalSetup]
    public void Setup()
    {
        var cores = Environment.ProcessorCount;
        var model = ModelInspector.Inspect(BenchData.ModelPath());
        if (model.FixedBatchSize is not null)
        {
            throw new InvalidOperationException("the benchmark model must have a dynamic batch");
        }

        var twin = BenchData.FixedBatchTwin(model.Path) ?? throw new InvalidOperationException("python3-onnx is needed to make the fixed-batch twin (apt-get install python3-onnx)");
        var fixedModel = ModelInspector.Inspect(twin);
        _dynamic = new OnnxTileScorer(model, new OnnxScorerOptions { BatchSize = Tiles, IntraOpThreads = PipelineTuning.IntraOpThreads(cores, null) });
        _fixed = new OnnxTileScorer(fixedModel, new OnnxScorerOptions { BatchSize = Tiles, IntraOpThreads = PipelineTuning.IntraOpThreads(cores, 1) });
        _input = InferenceInput.Fill(model.Input, Tiles);
        _scores = new float[Tiles * model.Labels.Count];
        var other = new float[_scores.Length];
        _dynamic.Score(_input, Tiles, _scores);
        _fixed.Score(_input, Tiles, other);
        for (var i = 0; i < _scores.Length; i++)
        {
            if (Math.Abs(_scores[i] - other[i]) > 1e-3f)
            {
                throw new InvalidOperationException($"fixed-batch twin scores {other[i]} where the dynamic model scores {_scores[i]}");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dynamic.Dispose();
        _fixed.Dispose();
    }

    [Benchmark(Baseline = true, Description = "dynamic batch: 1 Run of 16")]
    public float Dynamic()
    {
        _dynamic.Score(_input, Tiles, _scores);
        return _scores[0];
    }

    [Benchmark(Description = "fixed batch 1: 16 Runs, one per core at a time")]
    public float Fixed()
    {
        _fixed.Score(_input, Tiles, _scores);
        return _scores[0];
    }
}
