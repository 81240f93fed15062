using System.Globalization;
using System.Runtime.InteropServices;
using UrbanScore.Inference;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Sources;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Analysis;

/// <summary>
/// Evaluates a run folder (its <c>scores.sqlite</c>) against a <see cref="ReferenceSet"/> (<c>urbanscore evaluate</c>).
/// With labelled tiles, a row whose label is the run's positive label is a positive, a row with another of the model's
/// labels a negative, any other label is ignored, and tiles the run did not score are counted apart. With polygons,
/// every scored tile of the run is evaluated.
/// </summary>
public static class RunEvaluator
{
    /// <summary>Default decision threshold.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Evaluates the run in <paramref name="runFolder"/>.</summary>
    /// <param name="runFolder">Output folder of <c>score</c> (or <c>demo</c>, <c>merge</c>).</param>
    /// <param name="reference">The reference labels.</param>
    /// <param name="threshold">A score at least this is a positive prediction, 0..1.</param>
    /// <param name="cancellationToken">Stops the evaluation.</param>
    /// <exception cref="UrbanScoreException">No run in the folder, a threshold outside 0..1, or polygons outside the run's tile matrix set.</exception>
    public static EvaluationReport Evaluate(string runFolder, ReferenceSet reference, double threshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!(threshold is >= 0 and <= 1))
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--threshold {threshold} is outside 0..1; give a probability such as 0.5."));
        }

        using var store = ScoreStore.OpenExisting(runFolder);
        var metadata = store.ReadMetadata();
        var modelLabels = metadata.GetValueOrDefault("labels", string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var positiveExpression = metadata.GetValueOrDefault("positive_label", "city");
        var positive = PositiveLabels.Resolve(positiveExpression, modelLabels);
        var scores = new List<float>();
        var truths = new List<bool>();
        long ignored = 0, unscored = 0;
        if (reference.Labels is { } labels)
        {
            var scored = new Dictionary<TileIndex, float>();
            foreach (var tile in store.ReadAll())
            {
                if (tile.Status == TileStatus.Scored)
                {
                    scored[tile.Tile] = tile.Score;
                }
            }

            ignored = reference.RepeatedRows;
            foreach (var (tile, label) in labels)
            {
                if (!modelLabels.Contains(label, StringComparer.OrdinalIgnoreCase))
                {
                    ignored++;
                }
                else if (!scored.TryGetValue(tile, out var score))
                {
                    unscored++;
                }
                else
                {
                    scores.Add(score);
                    truths.Add(positive.Labels.Contains(label, StringComparer.OrdinalIgnoreCase));
                }
            }
        }
        else
        {
            var matrixSet = MatrixSetOf(store, metadata);
            var shares = new Dictionary<int, OutlineShare>();
            var n = 0;
            foreach (var tile in store.ReadAll())
            {
                if (tile.Status != TileStatus.Scored)
                {
                    continue;
                }

                if ((++n & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (!shares.TryGetValue(tile.Tile.Zoom, out var share))
                {
                    shares[tile.Tile.Zoom] = share = new OutlineShare(reference.Outlines!, matrixSet, tile.Tile.Zoom);
                }

                var inside = share.Share(tile.Tile);
                scores.Add(tile.Score);
                truths.Add(reference.MinShare > 0 ? inside >= reference.MinShare : inside > 0);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return BinaryMetrics.Compute(CollectionsMarshal.AsSpan(scores), CollectionsMarshal.AsSpan(truths), threshold) with
        {
            Ignored = ignored,
            Unscored = unscored,
            PositiveLabel = positiveExpression,
            Reference = reference.Description,
        };
    }

    private static TileMatrixSet MatrixSetOf(ScoreStore store, IReadOnlyDictionary<string, string> metadata)
    {
        try
        {
            return ProductSettings.Load(store).MatrixSet;
        }
        catch (UrbanScoreException) when (metadata.GetValueOrDefault("epsg") == "3857")
        {
            // A run stopped before its products has no saved matrix set; web-mercator XYZ is the common case.
            return TileMatrixSet.WebMercatorQuad();
        }
    }
}
