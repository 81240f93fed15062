namespace UrbanScore;

/// <summary>Helpers for <see cref="FailureKind"/>.</summary>
internal static class FailureKinds
{
    /// <summary>
    /// The kind of an HTTP status that is not a tile: 404, 204, 429, 5xx, other 4xx (408 included), anything else.
    /// </summary>
    public static FailureKind OfHttpStatus(int status) => status switch
    {
        404 => FailureKind.Http404,
        204 => FailureKind.Http204,
        429 => FailureKind.Http429,
        >= 500 and < 600 => FailureKind.Http5xx,
        >= 400 and < 500 => FailureKind.Http4xx,
        _ => FailureKind.HttpOther,
    };

    /// <summary>
    /// The low-cardinality word of a kind for metric labels (a Prometheus series per distinct message would grow
    /// without bound): http_404, http_204, http_429, http_5xx, http_4xx, http_other, empty_body, timeout, connection,
    /// not_image, too_large, redirect, outside_limits, blank, decode, model, other, or none.
    /// </summary>
    public static string MetricWord(this FailureKind kind) => kind switch
    {
        FailureKind.None => "none",
        FailureKind.Http404 => "http_404",
        FailureKind.Http204 => "http_204",
        FailureKind.Http429 => "http_429",
        FailureKind.Http5xx => "http_5xx",
        FailureKind.Http4xx => "http_4xx",
        FailureKind.HttpOther => "http_other",
        FailureKind.EmptyBody => "empty_body",
        FailureKind.Timeout => "timeout",
        FailureKind.Connection => "connection",
        FailureKind.NotImage => "not_image",
        FailureKind.TooLarge => "too_large",
        FailureKind.Redirect => "redirect",
        FailureKind.OutsideLimits => "outside_limits",
        FailureKind.Blank => "blank",
        FailureKind.Decode => "decode",
        FailureKind.Model => "model",
        _ => "other",
    };
}
