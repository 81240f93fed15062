using UrbanScore.Imaging;
using UrbanScore.Inference;

namespace UrbanScore.Runs;

/// <summary>
/// Scores single image files with a model, with the scoring pipeline's preprocessing (<see cref="TilePreprocessor"/>):
/// to check a model on its own training pictures (<c>urbanscore classify</c>).
/// </summary>
public static class ImageClassifier
{
    /// <summary>Every label's probability for each file, in order; a file that does not decode has none, with the reason.</summary>
    /// <param name="model">The model (from <see cref="ModelInspector.Inspect"/>).</param>
    /// <param name="device">Execution provider.</param>
    /// <param name="files">Image files.</param>
    /// <param name="cancellationToken">Stops between files.</param>
    public static IReadOnlyList<ImageClassification> Classify(ModelInfo model, ExecutionDevice device, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(files);
        using var scorer = new OnnxTileScorer(model, new OnnxScorerOptions { Device = device, BatchSize = 1 });
        using var preprocessor = new TilePreprocessor(model.Input);
        var input = new float[model.Input.ValuesPerImage];
        var scores = new float[model.Labels.Count];
        var results = new List<ImageClassification>(files.Count);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var decoded = preprocessor.Fill(File.ReadAllBytes(file), input);
            if (decoded.Status != DecodeStatus.Image)
            {
                results.Add(new ImageClassification(file, decoded.Status, decoded.Reason, null));
                continue;
            }

            scorer.Score(input, 1, scores);
            results.Add(new ImageClassification(file, DecodeStatus.Image, null, (float[])scores.Clone()));
        }

        return results;
    }
}
