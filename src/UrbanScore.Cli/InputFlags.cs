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
        InputSubject.OutputFolder => "--out",
        InputSubject.MinZoom => "--min-zoom",
        InputSubject.BaseUrl => "--base-url",
        InputSubject.PixelsPerTile => "--pixels-per-tile/--heatmap-pixels-per-tile",
        InputSubject.Colormap => "--colormap/--threshold",
        InputSubject.Concurrency => "--concurrency",
        InputSubject.MaxRequestsPerSecond => "--max-rps",
        InputSubject.Timeout => "--timeout",
        InputSubject.Retries => "--retries",
        _ => null,
    };

    /// <summary>The error line for <paramref name="exception"/>: the option first when the message is about one.</summary>
    public static string ErrorLine(UrbanScoreException exception) =>
        For(exception.Subject) is { } flag ? $"error: {flag}: {exception.Message}" : $"error: {exception.Message}";
}
