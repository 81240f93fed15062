namespace UrbanScore.Inference;

/// <summary>
/// The class or classes whose probability is the tile's score: one label, or several joined with <c>+</c>
/// (<c>city+town</c>) whose probabilities are summed. Matched case-insensitively against the model's labels.
/// Immutable and thread-safe.
/// </summary>
public sealed class PositiveLabels
{
    private readonly int[] _indices;

    private PositiveLabels(string expression, int[] indices, string[] labels)
    {
        Expression = expression;
        _indices = indices;
        Labels = labels;
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>The model's spelling of each matched label.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Index of each matched label in the model's label list (the scorer's output order).</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>
    /// Resolves <paramref name="expression"/> against <paramref name="labels"/>. A label that itself contains <c>+</c>
    /// is matched whole before the expression is split.
    /// </summary>
    /// <exception cref="UrbanScoreException">A label is not in the model; the message lists the model's labels.</exception>
    public static PositiveLabels Resolve(string expression, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(labels);
        var whole = IndexOf(labels, expression.Trim());
        var parts = whole >= 0 ? [expression.Trim()] : expression.Split('+', StringSplitOptions.TrimEntries);
        var indices = new List<int>();
        foreach (var part in parts)
        {
            var index = IndexOf(labels, part);
            if (index < 0)
            {
                throw new UrbanScoreException($"the model has no label '{part}'; use one of its labels: {string.Join(", ", labels)} (join several with '+').");
            }

            if (!indices.Contains(index))
            {
                indices.Add(index);
            }
        }

        return new PositiveLabels(expression, [.. indices], [.. indices.Select(i => labels[i])]);
    }

    /// <summary>
    /// The score of one image: the sum of the matched labels' probabilities in <paramref name="imageScores"/> (one
    /// image's row, in the model's label order), capped at 1 because multilabel (Sigmoid) probabilities can sum above it.
    /// </summary>
    public float Score(ReadOnlySpan<float> imageScores)
    {
        var sum = 0f;
        foreach (var index in _indices)
        {
            sum += imageScores[index];
        }

        return Math.Min(sum, 1f);
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        // An exact match wins over a case-insensitive one ("City" and "city" could both be tags).
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
