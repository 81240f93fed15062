using UrbanScore.Inference;
using UrbanScore.Tests.TestSupport;
using static UrbanScore.Tests.Inference.InferenceTestData;

namespace UrbanScore.Tests.Inference;

public sealed class OnnxTileScorerTests
{
    private static readonly byte[] s_red = Solid(250, 10, 10);
    private static readonly byte[] s_green = Solid(10, 250, 10);
    private static readonly byte[] s_blue = Solid(10, 10, 250);
    private static readonly byte[] s_yellow = Solid(250, 250, 10);

    [Fact]
    public void Score_KittenWithCatOrDog_IsCat()
    {
        using var scorer = new OnnxTileScorer(ModelInspector.Inspect(SharedFixtures.Require(CatOrDog)));

        var scores = Score(scorer, File.ReadAllBytes(SharedFixtures.Require(Kitten)));

        Assert.True(Of(scorer, scores, "cat") >= 0.99f, $"P(cat) = {Of(scorer, scores, "cat")}");
    }

    [Fact]
    public void Score_KittenFedAs0To1_SaysNegative_SoTheRangeMatters()
    {
        // Custom Vision models take 0-255 values: dividing by 255 breaks them; this guards the default.
        using var scorer = new OnnxTileScorer(ModelInspector.Inspect(SharedFixtures.Require(CatOrDog)));
        var wrongSpec = scorer.Input with { Scale = 1f / 255f };
        var input = Preprocess(wrongSpec, File.ReadAllBytes(SharedFixtures.Require(Kitten)));
        var scores = new float[scorer.Labels.Count];

        scorer.Score(input, 1, scores);

        Assert.True(Of(scorer, scores, "Negative") > 0.5f, $"P(Negative) = {Of(scorer, scores, "Negative")}");
        Assert.True(Of(scorer, scores, "cat") < 0.5f);
    }

    [Theory]
    [InlineData("colour-fixed1")]
    [InlineData("colour-logits")]
    public void WarmUp_ThenScore_GivesTheScoresOfAScorerThatWasNotWarmedUp(string model)
    {
        // The warm-up batch (zeros) must leave no state behind: the first real batch scores as on a fresh session.
        var info = ModelInspector.Inspect(Model(model));
        using var warmed = new OnnxTileScorer(info, new OnnxScorerOptions { BatchSize = 4 });
        using var fresh = new OnnxTileScorer(info, new OnnxScorerOptions { BatchSize = 4 });

        warmed.WarmUp();

        Assert.Equal(Score(fresh, s_red, s_green, s_blue, s_yellow), Score(warmed, s_red, s_green, s_blue, s_yellow));
    }

    [Fact]
    public void Score_CatOrDogBatchOf3_EqualsOneByOne()
    {
        var info = ModelInspector.Inspect(SharedFixtures.Require(CatOrDog));
        using var scorer = new OnnxTileScorer(info, new OnnxScorerOptions { BatchSize = 3 });
        byte[][] images = [File.ReadAllBytes(SharedFixtures.Require(Kitten)), s_red, Png(32, 32, (x, y) => ((byte)(x * 8), (byte)(y * 8), 128))];

        var batched = Score(scorer, images);
        var single = images.SelectMany(image => Score(scorer, image)).ToArray();

        Assert.Equal(single.Length, batched.Length);
        for (var i = 0; i < single.Length; i++)
        {
            Assert.Equal(single[i], batched[i], 1e-5f);
        }
    }

    [Fact]
    public void Score_FixedBatch1ModelWithBatchOf5_RunsConcurrentlyAndMatchesOneByOne()
    {
        var info = ModelInspector.Inspect(Model("colour-fixed1"));
        using var scorer = new OnnxTileScorer(info, new OnnxScorerOptions { BatchSize = 5, ConcurrentRuns = 3 });
        byte[][] images = [s_red, s_green, s_blue, s_yellow, s_red];

        var batched = Score(scorer, images);

        Assert.Equal(5, scorer.MaxBatchSize);
        Assert.Equal(3, scorer.ConcurrentRuns);
        Assert.True(Of(scorer, batched, "red", 0) > 0.99f);
        Assert.True(Of(scorer, batched, "green", 1) > 0.99f);
        Assert.True(Of(scorer, batched, "blue", 2) > 0.99f);
        Assert.True(Of(scorer, batched, "red", 4) > 0.99f);
        var single = images.SelectMany(image => Score(scorer, image)).ToArray();
        Assert.Equal(single, batched);
    }

    [Fact]
    public void Score_FixedBatch2ModelWith3Images_PadsTheLastBatch()
    {
        var info = ModelInspector.Inspect(Model("colour-fixed2"));
        using var scorer = new OnnxTileScorer(info, new OnnxScorerOptions { BatchSize = 3 });
        using var reference = new OnnxTileScorer(ModelInspector.Inspect(Model("colour-fixed1")));

        var scores = Score(scorer, s_red, s_green, s_blue);

        Assert.Equal(2, info.FixedBatchSize);
        Assert.Equal(Score(reference, s_red).Concat(Score(reference, s_green)).Concat(Score(reference, s_blue)), scores);
    }

    [Fact]
    public void Score_RawLogitsOutput_AppliesSoftmax()
    {
        using var logits = new OnnxTileScorer(ModelInspector.Inspect(Model("colour-logits")));
        using var softmax = new OnnxTileScorer(ModelInspector.Inspect(Model("colour-fixed1")));

        var fromLogits = Score(logits, s_red, s_blue);
        var expected = Score(softmax, s_red).Concat(Score(softmax, s_blue)).ToArray();

        Assert.Equal(1f, fromLogits[..3].Sum(), 1e-5f);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], fromLogits[i], 1e-5f);
        }
    }

    [Fact]
    public void Score_Float16Model_ScoresLikeItsFloat32Twin()
    {
        using var half = new OnnxTileScorer(ModelInspector.Inspect(Model("colour-fp16")), new OnnxScorerOptions { BatchSize = 3 });
        using var full = new OnnxTileScorer(ModelInspector.Inspect(Model("colour-fixed1")));

        var fromHalf = Score(half, s_red, s_green, s_blue);
        var fromHalfAgain = Score(half, s_blue);
        var expected = Score(full, s_red).Concat(Score(full, s_green)).Concat(Score(full, s_blue)).ToArray();

        for (var i = 0; i < expected.Length; i++)
        {
            // float16 keeps ~3 significant digits.
            Assert.Equal(expected[i], fromHalf[i], 2e-3f);
        }

        Assert.True(Of(half, fromHalf, "green", 1) > 0.99f);
        Assert.Equal(fromHalf[6..9], fromHalfAgain);
    }

    [Fact]
    public void Score_SigmoidMultilabel_KeepsIndependentProbabilities()
    {
        using var scorer = new OnnxTileScorer(ModelInspector.Inspect(Model("colour-multilabel")), new OnnxScorerOptions { BatchSize = 2 });

        var scores = Score(scorer, s_yellow, s_blue);

        Assert.True(Of(scorer, scores, "red") > 0.9f);
        Assert.True(Of(scorer, scores, "green") > 0.9f);
        Assert.True(Of(scorer, scores, "blue") < 0.1f);
        Assert.True(scores[..3].Sum() > 1.5f, "multilabel scores are not renormalised");
        Assert.True(Of(scorer, scores, "blue", 1) > 0.9f);
    }

    [Fact]
    public void Score_RgbZeroToOneModel_FollowsItsMetadata()
    {
        using var scorer = new OnnxTileScorer(ModelInspector.Inspect(Model("colour-rgb-0-1")), new OnnxScorerOptions { BatchSize = 2 });

        var scores = Score(scorer, s_red, s_blue);

        // Fed as BGR the red image would read as blue, and fed as 0-255 every logit would saturate.
        Assert.True(Of(scorer, scores, "red", 0) > 0.99f);
        Assert.True(Of(scorer, scores, "blue", 1) > 0.99f);
    }

    [Fact]
    public void Score_MoreImagesThanMaxBatchSize_Throws()
    {
        using var scorer = new OnnxTileScorer(ModelInspector.Inspect(Model("colour-logits")), new OnnxScorerOptions { BatchSize = 2 });

        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Score(new float[3 * scorer.Input.ValuesPerImage], 3, new float[9]));
    }

    [Fact]
    public void Create_CudaDeviceOnCpuBuild_SaysHowToGetTheGpuBuild()
    {
#if ORT_GPU
        Assert.Skip("this is the GPU build; CUDA is available to it");
#else
        var info = ModelInspector.Inspect(Model("colour-fixed1"));

        var ex = Assert.Throws<UrbanScoreException>(() => new OnnxTileScorer(info, new OnnxScorerOptions { Device = ExecutionDevice.Parse("cuda:0") }));

        Assert.Contains("-p:OrtFlavor=Gpu", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", ex.Message, StringComparison.Ordinal);
#endif
    }

    [Fact]
    public void Create_OptimizedModelCache_WritesThenReusesIt()
    {
        var info = ModelInspector.Inspect(Model("colour-logits"));
        using var folder = new ModelInspectorTests.TempFolder();
        var cache = Path.Combine(folder.Path, "optimized.onnx");
        var options = new OnnxScorerOptions { OptimizedModelCachePath = cache };
        float[] first;
        using (var scorer = new OnnxTileScorer(info, options))
        {
            first = Score(scorer, s_green);
        }

        Assert.True(File.Exists(cache));
        using var cached = new OnnxTileScorer(info, options);
        Assert.Equal(first, Score(cached, s_green));
    }
}
