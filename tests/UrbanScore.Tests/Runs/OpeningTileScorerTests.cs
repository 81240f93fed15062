using UrbanScore.Inference;
using UrbanScore.Runs;
using static UrbanScore.Tests.Inference.InferenceTestData;

namespace UrbanScore.Tests.Runs;

public sealed class OpeningTileScorerTests
{
    [Fact]
    public async Task Score_SessionOpensAfterTheCall_WaitsForItAndScoresAsTheSessionDoes()
    {
        var model = ModelInspector.Inspect(Model("colour-logits"));
        using var session = new OnnxTileScorer(model, new OnnxScorerOptions { BatchSize = 2 });
        var opening = new TaskCompletionSource<OnnxTileScorer>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var scorer = new OpeningTileScorer(model, maxBatchSize: 2, opening.Task);
        var images = new[] { Solid(250, 10, 10), Solid(10, 250, 10) };

        Assert.Equal(model.Input, scorer.Input);
        Assert.Equal(model.Labels, scorer.Labels);
        Assert.Equal(2, scorer.MaxBatchSize);
        var scoring = Task.Run(() => Score(scorer, images), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(scoring.IsCompleted, "scored before the session was open");
        opening.SetResult(session);

        Assert.Equal(Score(session, images), await scoring.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Score_SessionFailedToOpen_ThrowsTheReason()
    {
        var model = ModelInspector.Inspect(Model("colour-logits"));
        var failure = new UrbanScoreException("model.onnx could not be loaded by ONNX Runtime; re-export it.");
        using var scorer = new OpeningTileScorer(model, maxBatchSize: 1, Task.FromException<OnnxTileScorer>(failure));

        var error = Assert.Throws<UrbanScoreException>(() => Score(scorer, Solid(10, 10, 250)));

        Assert.Same(failure, error);
        Assert.True(scorer.Ready.IsFaulted);
    }
}
