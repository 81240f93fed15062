using UrbanScore.Sources;

namespace UrbanScore.Cli;

/// <summary>The console streams a command writes to; tests pass their own writers.</summary>
/// <param name="Out">Results and progress.</param>
/// <param name="Error">Errors and warnings.</param>
/// <param name="IsInteractive">Whether <paramref name="Out"/> is a terminal (live progress bar) or redirected (plain lines).</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, bool IsInteractive)
{
    /// <summary>The run's secrets (<c>--secret</c>, header values, filled <c>{env:NAME}</c> placeholders): masked in everything written.</summary>
    public SecretSet Secrets { get; init; } = new();

    /// <summary>How the user started the tool, for hints: <c>urbanscore</c>, or <c>dotnet run … --</c> from a checkout.</summary>
    public string CommandName { get; init; } = "urbanscore";
}
