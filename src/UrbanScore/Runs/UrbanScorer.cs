using UrbanScore.Pipeline;

namespace UrbanScore.Runs;

/// <summary>
/// The library's front door: scores an area in one call, with the same engine as <c>urbanscore score</c> (it opens a
/// <see cref="ScoreRun"/>, runs it and disposes it). For your own source or scorer call <see cref="ScoreJob.RunAsync"/>;
/// for a custom stage layout, <see cref="ScoringPipeline"/>.
/// </summary>
/// <example>
/// <code>
/// var result = await UrbanScorer.ScoreAsync(new ScoreRequest
/// {
///     XyzTemplate = "https://tiles.example.com/{z}/{x}/{y}.jpg",
///     Area = new BoxArea(new BoundingBox(MinX: 8.50, MinY: 47.36, MaxX: 8.56, MaxY: 47.39)),
///     Zoom = 16,
///     ModelPath = "model.onnx",
///     OutputFolder = "out",
/// }, progress: null, cancellationToken);
/// </code>
/// </example>
public static class UrbanScorer
{
    /// <summary>Scores <see cref="ScoreRequest.Area"/> and writes the outputs into <see cref="ScoreRequest.OutputFolder"/>.</summary>
    /// <param name="request">What to score and where to write it.</param>
    /// <param name="progress">Progress reports (about twice a second), or null.</param>
    /// <param name="cancellationToken">Stops the run; what was scored stays in the output folder and a re-run resumes.</param>
    /// <returns>Counts, timings and the path of run.json.</returns>
    /// <exception cref="UrbanScoreException">Bad input: no or two sources, a missing model, a bad area, zoom or label.</exception>
    public static async Task<ScoreJobResult> ScoreAsync(ScoreRequest request, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var run = await ScoreRun.OpenAsync(request, cancellationToken).ConfigureAwait(false);
        return await run.RunAsync(progress, cancellationToken).ConfigureAwait(false);
    }
}
