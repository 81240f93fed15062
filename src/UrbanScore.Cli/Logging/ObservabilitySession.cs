using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using UrbanScore.Observability;
using UrbanScore.Pipeline;

namespace UrbanScore.Cli.Logging;

/// <summary>
/// What one CLI command run uses to be watched: the logger factory (stderr, and the log file when asked), the
/// OpenTelemetry meter provider (Prometheus endpoint, OTLP push) when asked, and the logging sink for the pipeline.
/// Owns all of them and the log file: dispose it when the command ends (that stops the metrics endpoint).
/// </summary>
internal sealed partial class ObservabilitySession : IDisposable
{
    private readonly List<IDisposable> _owned;

    public ObservabilitySession(ILoggerFactory loggerFactory, MeterProvider? meterProvider, IReadOnlyList<IDisposable> owned, Uri? metricsEndpoint)
    {
        LoggerFactory = loggerFactory;
        MeterProvider = meterProvider;
        MetricsEndpoint = metricsEndpoint;
        _owned = [.. owned];
        Sink = new LoggingTileSink(loggerFactory.CreateLogger<LoggingTileSink>());
        var logger = loggerFactory.CreateLogger("UrbanScore.Cli");
        if (metricsEndpoint is not null)
        {
            LogMetricsEndpoint(logger, metricsEndpoint);
        }
    }

    public ILoggerFactory LoggerFactory { get; }

    public MeterProvider? MeterProvider { get; }

    /// <summary>The Prometheus scrape URL, or null when <c>--metrics-port</c> was not given.</summary>
    public Uri? MetricsEndpoint { get; }

    /// <summary>Logs failed tiles at debug level and a summary every minute; add it to the job's extra sinks.</summary>
    public LoggingTileSink Sink { get; }

    public ILogger CreateLogger(string category) => LoggerFactory.CreateLogger(category);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Prometheus metrics at {Endpoint}")]
    private static partial void LogMetricsEndpoint(ILogger logger, Uri endpoint);

    public void Dispose()
    {
        Sink.Dispose();

        // The meter provider's last export (OTLP) happens on dispose; then the loggers, then the files they write to.
        MeterProvider?.Dispose();
        LoggerFactory.Dispose();
        // Reverse order of creation: the line writers flush before the file under them closes.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }
}
