namespace UrbanScore.Cli;

/// <summary>Process exit codes (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Everything done; every tile scored or empty.</summary>
    public const int Success = 0;

    /// <summary>An unexpected error (a bug, or an environment failure we did not foresee).</summary>
    public const int UnexpectedError = 1;

    /// <summary>Bad arguments, configuration, model or capabilities: the message says what to fix.</summary>
    public const int BadInput = 2;

    /// <summary>The run finished but some tiles failed; they are recorded with their reasons and a re-run retries them.</summary>
    public const int TilesFailed = 3;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
