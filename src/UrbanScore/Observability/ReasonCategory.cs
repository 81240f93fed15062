namespace UrbanScore.Observability;

/// <summary>
/// Maps a tile's free-text reason ("HTTP 503 Service Unavailable: ... (after 5 attempts)") to one of a few fixed
/// words, so metric labels stay low-cardinality: a Prometheus series per distinct message would grow without bound.
/// </summary>
internal static class ReasonCategory
{
    /// <summary>The category of <paramref name="reason"/>: http_404, http_204, http_429, http_5xx, http_4xx, timeout,
    /// connection, not_image, too_large, redirect, empty_body, blank, decode, model, outside_limits, none or other
    /// (http_other for an unexpected status line).</summary>
    public static string Of(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return "none";
        }

        if (reason.StartsWith("HTTP ", StringComparison.Ordinal) && reason.Length >= 8)
        {
            var code = reason.AsSpan(5, 3);
            return code switch
            {
                "404" => "http_404",
                "204" => "http_204",
                "429" => "http_429",
                "200" => "empty_body",
                _ when code[0] == '5' => "http_5xx",
                _ when code[0] == '4' => "http_4xx",
                _ => "http_other",
            };
        }

        return reason switch
        {
            _ when reason.StartsWith("timed out", StringComparison.Ordinal) => "timeout",
            _ when reason.StartsWith("connection", StringComparison.Ordinal) => "connection",
            _ when reason.StartsWith("server sent no image", StringComparison.Ordinal) => "not_image",
            _ when reason.StartsWith("tile body", StringComparison.Ordinal) => "too_large",
            _ when reason.Contains("redirect", StringComparison.Ordinal) => "redirect",
            _ when reason.StartsWith("model error", StringComparison.Ordinal) => "model",
            _ when reason.StartsWith("outside", StringComparison.Ordinal) => "outside_limits",
            _ when reason.EndsWith("colour tile", StringComparison.Ordinal) || reason.StartsWith("fully transparent", StringComparison.Ordinal) => "blank",
            _ when reason.StartsWith("image", StringComparison.Ordinal) || reason.StartsWith("not a decodable", StringComparison.Ordinal) => "decode",
            _ => "other",
        };
    }
}
