using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace UrbanScore.Cli.Logging;

/// <summary>
/// Writes log events as lines (text or JSON) to a <see cref="TextWriter"/>: the CLI's stderr or a log file. Writes are
/// serialised by a lock so lines from concurrent stages never interleave. Borrows the writer.
/// </summary>
internal sealed class LineLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _writer;
    private readonly LogFormat _format;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public LineLoggerProvider(TextWriter writer, LogFormat format, LogLevel minimum, TimeProvider? time = null)
    {
        _writer = writer;
        _format = format;
        _minimum = minimum;
        _time = time ?? TimeProvider.System;
    }

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Flush();
        }
    }

    private void Write<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, string message)
    {
        var now = _time.GetUtcNow();
        var line = _format == LogFormat.Json
            ? Json(now, category, level, eventId, state as IReadOnlyList<KeyValuePair<string, object?>>, exception, message)
            : Text(now, level, exception, message);
        lock (_lock)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    private static string Text(DateTimeOffset now, LogLevel level, Exception? exception, string message)
    {
        var text = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + " " + ShortLevel(level) + ": " + message;
        return exception is null ? text : text + Environment.NewLine + exception;
    }

    private static string Json(DateTimeOffset now, string category, LogLevel level, EventId eventId, IReadOnlyList<KeyValuePair<string, object?>>? state, Exception? exception, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", level.ToString());
            json.WriteString("category", category);
            json.WriteNumber("eventId", eventId.Id);
            if (eventId.Name is { } name)
            {
                json.WriteString("event", name);
            }

            json.WriteString("message", message);
            foreach (var (key, value) in state ?? [])
            {
                // The template itself is noise next to the rendered message; named values become properties.
                if (key == "{OriginalFormat}" || key is "timestamp" or "level" or "category" or "eventId" or "event" or "message" or "exception")
                {
                    continue;
                }

                WriteValue(json, key, value);
            }

            if (exception is not null)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(key, d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumber(key, f);
                break;
            case decimal m:
                json.WriteNumber(key, m);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string ShortLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private sealed class LineLogger(LineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            provider.Write(category, logLevel, eventId, state, exception, formatter(state, exception));
        }
    }
}
