using Microsoft.Data.Sqlite;

namespace UrbanScore.Cli;

/// <summary>Recognises "out of disk space" among the exceptions a run can end with, wherever it was raised.</summary>
internal static class DiskFull
{
    // errno ENOSPC (Linux, macOS) and EDQUOT (quota exceeded); .NET puts the raw errno in IOException.HResult on Unix.
    private const int Enospc = 28;
    private const int Edquot = 122;

    // Windows: ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL as HRESULTs.
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    // SQLITE_FULL (https://www.sqlite.org/rescode.html#full).
    private const int SqliteFull = 13;

    /// <summary>What was being written when the disk filled up, or null when <paramref name="exception"/> is something else.</summary>
    public static string? Describe(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Describe).FirstOrDefault(d => d is not null);
            }

            if (ex is SqliteException { SqliteErrorCode: SqliteFull })
            {
                return "the score store (scores.sqlite)";
            }

            if (ex is IOException io && io.HResult is Enospc or Edquot or WindowsDiskFull or WindowsHandleDiskFull)
            {
                return PathIn(io.Message) ?? "an output file";
            }
        }

        return null;
    }

    // .NET's message is "No space left on device : '/path/file'"; the path is what the user needs.
    private static string? PathIn(string message)
    {
        var end = message.LastIndexOf('\'');
        var start = end > 0 ? message.LastIndexOf('\'', end - 1) : -1;
        return start >= 0 && end > start + 1 ? message[(start + 1)..end] : null;
    }
}
