namespace UrbanScore;

/// <summary>
/// Why a tile is empty or failed, as a fixed word carried next to its free-text reason. Metrics and code that branch
/// on the cause read this, never the reason's text, so rewording a message changes no metric. Each kind's metric word
/// is the label of the tile metrics in docs/observability.md.
/// </summary>
public enum FailureKind
{
    /// <summary>No failure: the tile has an image or was scored.</summary>
    None,

    /// <summary>HTTP 404: the server has no tile there.</summary>
    Http404,

    /// <summary>HTTP 204: the server sent no content.</summary>
    Http204,

    /// <summary>HTTP 429: the server asked us to slow down.</summary>
    Http429,

    /// <summary>HTTP 5xx: the server failed.</summary>
    Http5xx,

    /// <summary>Another HTTP 4xx (408 included): the request was refused or timed out at the server.</summary>
    Http4xx,

    /// <summary>An HTTP status outside 2xx–5xx.</summary>
    HttpOther,

    /// <summary>HTTP 200 with an empty body.</summary>
    EmptyBody,

    /// <summary>An attempt ran past its timeout.</summary>
    Timeout,

    /// <summary>The connection failed or broke while reading.</summary>
    Connection,

    /// <summary>The server answered with something that is not an image (an OWS exception, an HTML page).</summary>
    NotImage,

    /// <summary>The body is over the size cap.</summary>
    TooLarge,

    /// <summary>A redirect that is refused (another host, a non-HTTP scheme, a loop).</summary>
    Redirect,

    /// <summary>The tile lies outside the tile matrix or the layer's TileMatrixSetLimits.</summary>
    OutsideLimits,

    /// <summary>A fully transparent or single-colour tile.</summary>
    Blank,

    /// <summary>The bytes are not a decodable image.</summary>
    Decode,

    /// <summary>The model rejected the tile's batch.</summary>
    Model,

    /// <summary>A cause not recorded (e.g. a tile read back from a store, which keeps only the text).</summary>
    Other,
}
