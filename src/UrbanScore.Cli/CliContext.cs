namespace UrbanScore.Cli;

/// <summary>The console streams a command writes to; tests pass their own writers.</summary>
/// <param name="Out">Results and progress.</param>
/// <param name="Error">Errors and warnings.</param>
/// <param name="IsInteractive">Whether <paramref name="Out"/> is a terminal (live progress bar) or redirected (plain lines).</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, bool IsInteractive);
