using System.Globalization;

namespace UrbanScore.Tiling;

/// <summary>
/// Part <paramref name="Index"/> of <paramref name="Count"/> of a cover (<c>--shard K/N</c>, K = 0..N-1, the
/// Kubernetes completion index).
/// </summary>
/// <param name="Index">Zero-based part, 0 ≤ Index &lt; Count.</param>
/// <param name="Count">Number of parts, ≥ 1.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole cover as one part.</summary>
    public static Shard Whole => new(Index: 0, Count: 1);

    /// <summary>Parses "K/N" (0 ≤ K &lt; N).</summary>
    /// <exception cref="UrbanScoreException">Not K/N, or K out of range.</exception>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || index >= count)
        {
            throw new UrbanScoreException($"The shard '{text}' is not K/N with 0 <= K < N; write e.g. 0/8 for the first of eight parts (K is the zero-based Kubernetes completion index).")
            { Subject = InputSubject.Shard };
        }

        return new Shard(Index: index, Count: count);
    }

    /// <summary>First tile ordinal (in cover order) of this part of a cover of <paramref name="total"/> tiles.</summary>
    public long Start(long total) => (long)((Int128)total * Index / Count);

    /// <summary>Tiles in this part of a cover of <paramref name="total"/> tiles (sizes differ by at most one).</summary>
    public long Size(long total) => (long)((Int128)total * (Index + 1) / Count) - Start(total);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
