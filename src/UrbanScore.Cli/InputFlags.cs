namespace UrbanScore.Cli;

/// <summary>
/// The command line's names for the inputs the engine's messages are about: the engine speaks of values ("Zoom 30 is
/// outside 0..24"), the CLI prefixes the option the user typed, so each message is written once.
/// </summary>
internal static class InputFlags
{
    /// <summary>The option(s) for <paramref name="subject"/>, or null when there is none to name.</summary>
    public static string? For(InputSubject subject) => subject switch
    {
        InputSubject.Source => "--xyz/--wmts",
        InputSubject.Zoom => "--zoom",
        InputSubject.Area => "--bbox/--area/--country/--tiles",
        InputSubject.Model => "--model",
        InputSubject.BatchSize => "--batch-size",
        InputSubject.DecodeWorkers => "--threads",
        InputSubject.OutputFolder => "--out/--force",
        InputSubject.MinZoom => "--min-zoom",
        InputSubject.BaseUrl => "--base-url",
        InputSubject.PixelsPerTile => "--pixels-per-tile/--heatmap-pixels-per-tile",
        InputSubject.Colormap => "--colormap",
        InputSubject.Threshold => "--threshold",
        InputSubject.Concurrency => "--concurrency",
        InputSubject.MaxRequestsPerSecond => "--max-rps",
        InputSubject.Timeout => "--timeout",
        InputSubject.Retries => "--retries",
        InputSubject.BoundingBox => "--bbox",
        InputSubject.AreaFile => "--area",
        InputSubject.Country => "--country",
        InputSubject.TileList => "--tiles",
        InputSubject.Buffer => "--buffer-m",
        InputSubject.Shard => "--shard",
        InputSubject.Cache => "--cache",
        InputSubject.Labels => "--labels",
        InputSubject.Device => "--device",
        InputSubject.TileMatrix => "--tile-matrix",
        InputSubject.TileMatrixSet => "--tile-matrix-set",
        InputSubject.Layer => "--layer",
        InputSubject.Format => "--format",
        InputSubject.Dimension => "--dimension",
        InputSubject.Encoding => "--wmts-encoding",
        InputSubject.Headers => "--header",
        InputSubject.Preflight => "--no-preflight",
        InputSubject.Truth => "--truth",
        InputSubject.MinShare => "--min-share",
        InputSubject.Regions => "--by",
        InputSubject.NameField => "--name-field",
        _ => null,
    };

    /// <summary>
    /// The error line for <paramref name="exception"/>: the option first when the message is about one; the preflight
    /// check's option, which is a way out rather than the input at fault, last in parentheses.
    /// </summary>
    public static string ErrorLine(UrbanScoreException exception) => (For(exception.Subject), exception.Message) switch
    {
        ({ } flag, var message) when exception.Subject == InputSubject.Preflight && message.EndsWith('.') => $"error: {message[..^1]} ({flag}).",
        ({ } flag, var message) => $"error: {flag}: {message}",
        (null, var message) => $"error: {message}",
    };
}
