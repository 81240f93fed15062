namespace UrbanScore.Storage;

/// <summary>
/// What makes two runs "the same" for resuming: a store written with another model or source is refused (unless
/// forced), because its scores would not be comparable.
/// </summary>
public sealed class RunIdentity
{
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
}
