using System.Globalization;

namespace UrbanScore.Storage;

/// <summary>
/// What makes two runs "the same" for resuming: a store written with another model or source is refused (unless
/// forced), because its scores would not be comparable. Kept in the store's metadata table (one key per property);
/// <see cref="ScoreStore.ReadIdentity"/> reads it back, so no caller reads those keys by hand.
/// </summary>
public sealed class RunIdentity
{
    private const string SourceKey = "source";
    private const string TileMatrixSetKey = "tile_matrix_set";
    private const string EpsgKey = "epsg";
    private const string ModelKey = "model_sha256";
    private const string LabelsKey = "labels";
    private const string PositiveKey = "positive_label";
    private const string VersionKey = "urbanscore_version";

    /// <summary>The tile source, secrets redacted.</summary>
    public required string Source { get; init; }

    /// <summary>Tile matrix set identifier.</summary>
    public required string TileMatrixSet { get; init; }

    /// <summary>EPSG code of the tile matrix set.</summary>
    public required int Epsg { get; init; }

    /// <summary>SHA-256 of the model file, lower-case hex.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>The model's labels in output order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>The label(s) whose probability is the score, as given ("city" or "city+town").</summary>
    public required string PositiveLabel { get; init; }

    /// <summary>The UrbanScore version that wrote the store (this one for a new identity).</summary>
    public string Version { get; init; } = ProductInfo.Version;

    /// <summary>The identity in the metadata table, or null when the table has none (a store never opened for a run).</summary>
    internal static RunIdentity? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(SourceKey, out var source))
        {
            return null;
        }

        return new RunIdentity
        {
            Source = source,
            TileMatrixSet = metadata.GetValueOrDefault(TileMatrixSetKey, string.Empty),
            Epsg = int.TryParse(metadata.GetValueOrDefault(EpsgKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epsg) ? epsg : 0,
            ModelSha256 = metadata.GetValueOrDefault(ModelKey, string.Empty),
            Labels = metadata.GetValueOrDefault(LabelsKey, string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            PositiveLabel = metadata.GetValueOrDefault(PositiveKey, string.Empty),
            Version = metadata.GetValueOrDefault(VersionKey, string.Empty),
        };
    }

    /// <summary>The metadata entries of this identity; the version is always the running one.</summary>
    internal IEnumerable<KeyValuePair<string, string>> ToMetadata() =>
    [
        new(SourceKey, Source),
        new(TileMatrixSetKey, TileMatrixSet),
        new(EpsgKey, Epsg.ToString(CultureInfo.InvariantCulture)),
        new(ModelKey, ModelSha256),
        new(LabelsKey, string.Join('\n', Labels)),
        new(PositiveKey, PositiveLabel),
        new(VersionKey, ProductInfo.Version),
    ];

    /// <summary>
    /// Why a store holding <paramref name="stored"/> cannot be resumed with this identity (another model, source,
    /// tile matrix set or positive label), or null when it can.
    /// </summary>
    internal string? ResumeConflict(RunIdentity stored)
    {
        if (!string.Equals(stored.ModelSha256, ModelSha256, StringComparison.OrdinalIgnoreCase))
        {
            return $"another model (sha256 {stored.ModelSha256[..Math.Min(12, stored.ModelSha256.Length)]}…)";
        }

        if (stored.Source != Source)
        {
            return $"another source ({stored.Source})";
        }

        if (stored.TileMatrixSet != TileMatrixSet)
        {
            return $"another tile matrix set ({stored.TileMatrixSet})";
        }

        return !string.Equals(stored.PositiveLabel, PositiveLabel, StringComparison.OrdinalIgnoreCase)
            ? $"another positive label ({stored.PositiveLabel})"
            : null;
    }

    /// <summary>
    /// The first property in which <paramref name="other"/> differs, as (what, this value, other value), or null when
    /// both describe one run (what merging shards needs: model, source, tile matrix set, labels, positive label).
    /// </summary>
    internal (string What, string Mine, string Theirs)? FirstDifference(RunIdentity other)
    {
        foreach (var (what, mine, theirs) in new[]
        {
            ("model", ModelSha256, other.ModelSha256),
            ("source", Source, other.Source),
            ("tile matrix set", TileMatrixSet, other.TileMatrixSet),
            ("labels", string.Join(',', Labels), string.Join(',', other.Labels)),
            ("positive label", PositiveLabel, other.PositiveLabel),
        })
        {
            if (!string.Equals(mine, theirs, StringComparison.Ordinal))
            {
                return (what, mine, theirs);
            }
        }

        return null;
    }
}
