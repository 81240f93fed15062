using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using UrbanScore.Cli.Logging;

namespace UrbanScore.Tests.Observability;

public sealed class LineLoggerProviderTests
{
    private static readonly FakeTimeProvider s_time = new(new DateTimeOffset(2025, 6, 1, 12, 30, 5, TimeSpan.Zero));

    [Fact]
    public void Log_JsonFormat_WritesOneObjectPerLineWithNamedValues()
    {
        using var writer = new StringWriter();
        using (var provider = new LineLoggerProvider(writer, LogFormat.Json, LogLevel.Debug, s_time))
        {
            var logger = provider.CreateLogger("UrbanScore.Test");
#pragma warning disable CA1848, CA1873, CA2254 // A plain call on purpose: it is what the provider must render.
            logger.Log(LogLevel.Information, new EventId(7, "Done"), "{Done} tiles at {Rate} tiles/s from {Host}", 12L, 3.5, "a \"quoted\" host");
#pragma warning restore CA1848, CA1873, CA2254
        }

        var line = Assert.Single(writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("2025-06-01T12:30:05.000Z", root.GetProperty("timestamp").GetString());
        Assert.Equal("Information", root.GetProperty("level").GetString());
        Assert.Equal("UrbanScore.Test", root.GetProperty("category").GetString());
        Assert.Equal(7, root.GetProperty("eventId").GetInt32());
        Assert.Equal("Done", root.GetProperty("event").GetString());
        Assert.Equal("12 tiles at 3.5 tiles/s from a \"quoted\" host", root.GetProperty("message").GetString());
        Assert.Equal(12, root.GetProperty("Done").GetInt64());
        Assert.Equal(3.5, root.GetProperty("Rate").GetDouble());
        Assert.False(root.TryGetProperty("{OriginalFormat}", out _));
    }

    [Fact]
    public void Log_TextFormatBelowMinimum_WritesOnlyEnabledLevels()
    {
        using var writer = new StringWriter();
        using (var provider = new LineLoggerProvider(writer, LogFormat.Text, LogLevel.Information, s_time))
        {
            var logger = provider.CreateLogger("UrbanScore.Test");
#pragma warning disable CA1848 // as above
            logger.LogDebug("hidden");
            logger.LogWarning("visible {Count}", 3);
#pragma warning restore CA1848
        }

        Assert.Equal("2025-06-01T12:30:05Z warn: visible 3" + Environment.NewLine, writer.ToString());
    }
}
