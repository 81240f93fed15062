namespace UrbanScore.Pipeline;

/// <summary>
/// The pipeline's verdict on a tile, as the sinks and the store see it. Stored as lower-case text (<c>scored</c>,
/// <c>empty</c>, <c>failed</c>).
/// </summary>
public enum TileStatus
{
    /// <summary>Decoded and scored by the model.</summary>
    Scored,

    /// <summary>The server has no imagery there (404/204, transparent or single-colour tile): not scored.</summary>
    Empty,

    /// <summary>Could not be fetched, decoded or scored after retries; the reason is recorded.</summary>
    Failed,
}
