namespace UrbanScore.Cli.Logging;

/// <summary>How log lines are written.</summary>
internal enum LogFormat
{
    /// <summary>One human-readable line per event: time, level, message.</summary>
    Text,

    /// <summary>One JSON object per line (timestamp, level, category, eventId, message, and each named value).</summary>
    Json,
}
