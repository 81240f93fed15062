using Microsoft.ML.OnnxRuntime;
using UrbanScore.Inference;
using static UrbanScore.Tests.Inference.InferenceTestData;

namespace UrbanScore.Tests.Inference;

/// <summary>
/// The I/O binding every Run goes through: the staging path (the one CUDA uses with page-locked host memory) is run here
/// with the CPU allocator, and must give exactly what binding the caller's memory directly gives.
/// </summary>
public sealed class RunBindingTests
{
    [Theory]
    [InlineData("colour-logits", false)]
    [InlineData("cv2020-zipmap", false)]
    [InlineData("colour-fp16", true)]
    public void Run_StagedInput_EqualsDirectlyBoundInput(string name, bool float16)
    {
        var info = ModelInspector.Inspect(Model(name));
        using var options = new SessionOptions();
        using var session = new InferenceSession(info.Path, options);
        using var runOptions = new RunOptions();
        var input = Preprocess(info.Input, Solid(200, 30, 30), Solid(30, 200, 30), Solid(30, 30, 200));
        long[] shape = [3, 3, info.Input.Height, info.Input.Width];
        using var direct = new RunBinding(session, OrtMemoryInfo.DefaultInstance, stagingAllocator: null);
        using var staged = new RunBinding(session, OrtMemoryInfo.DefaultInstance, OrtAllocator.DefaultInstance);

        var first = Flatten(direct, session, runOptions, info, input, shape, float16);
        var second = Flatten(staged, session, runOptions, info, input, shape, float16);
        var again = Flatten(staged, session, runOptions, info, input, shape, float16);

        Assert.True(staged.Stages);
        Assert.False(direct.Stages);
        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        Assert.Equal(first, again);
    }

    private static float[] Flatten(RunBinding binding, InferenceSession session, RunOptions runOptions, ModelInfo info, float[] input, long[] shape, bool float16)
    {
        using var outputs = binding.Run(session, runOptions, info.InputName, info.ScoreOutputName, input, shape, float16);
        var output = outputs[0];
        if (output.OnnxType == OnnxValueType.ONNX_TYPE_TENSOR)
        {
            return float16 ? [.. output.GetTensorDataAsSpan<Float16>().ToArray().Select(h => (float)h)] : output.GetTensorDataAsSpan<float>().ToArray();
        }

        // seq(map(string, float)): every map's values in order.
        var values = new List<float>();
        for (var i = 0; i < output.GetValueCount(); i++)
        {
            using var map = output.GetValue(i, OrtAllocator.DefaultInstance);
            using var probabilities = map.GetValue(1, OrtAllocator.DefaultInstance);
            values.AddRange(probabilities.GetTensorDataAsSpan<float>().ToArray());
        }

        return [.. values];
    }
}
