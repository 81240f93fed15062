using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using UrbanScore.Cli.Logging;
using UrbanScore.Observability;

namespace UrbanScore.Cli.Commands;

/// <summary>
/// Options that make a long run observable: structured logs (text on a terminal, JSON for machines, an optional log
/// file) and metrics (a Prometheus endpoint on 127.0.0.1, OTLP push). Shared by every command that runs the pipeline;
/// <see cref="Start"/> turns them into an <see cref="ObservabilitySession"/>.
/// </summary>
internal sealed class LoggingOptions
{
    public Option<string> LogFormat { get; } = new("--log-format") { Description = "Log lines as text (default) or json (one object per line).", DefaultValueFactory = _ => "text" };

    public Option<string?> LogFile { get; } = new("--log-file") { Description = "Also write the log to this file (appended; same format and verbosity)." };

    public Option<string> Verbosity { get; } = new("--verbosity", "-v") { Description = "Log level: trace, debug (adds failed tiles), information (default: a summary per minute), warning, error, none.", DefaultValueFactory = _ => "information" };

    public Option<int?> MetricsPort { get; } = new("--metrics-port") { Description = "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics while the command runs." };

    public Option<string?> OtlpEndpoint { get; } = new("--otlp-endpoint") { Description = "Push metrics over OTLP to this URL (gRPC, e.g. http://collector:4317; or HTTP when the path ends in /v1/metrics)." };

    /// <summary>Whether logs are JSON lines (then progress is plain lines too, never a redrawn bar).</summary>
    public bool IsJson(ParseResult parseResult) => string.Equals(parseResult.GetValue(LogFormat), "json", StringComparison.OrdinalIgnoreCase);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { LogFormat, LogFile, Verbosity, MetricsPort, OtlpEndpoint })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Opens the log file, the loggers and the metrics exporters; the caller disposes the result.</summary>
    /// <exception cref="UrbanScoreException">A bad format, level, port or URL, an unwritable log file, or a busy port.</exception>
    public ObservabilitySession Start(ParseResult parseResult, CliContext context)
    {
        var format = ParseFormat(parseResult.GetValue(LogFormat)!);
        var level = ParseLevel(parseResult.GetValue(Verbosity)!);
        var port = parseResult.GetValue(MetricsPort);
        if (port is < 1 or > 65535)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--metrics-port {port} is outside 1..65535; choose a free port such as 9464."));
        }

        var otlp = ParseOtlp(parseResult.GetValue(OtlpEndpoint));
        var owned = new List<IDisposable>();
        LoggerFactory? loggerFactory = null;
        try
        {
            var providers = new List<ILoggerProvider> { new LineLoggerProvider(context.Error, format, level) };
            if (parseResult.GetValue(LogFile) is { } path)
            {
                var file = OpenLogFile(path);
                owned.Add(file);
                providers.Add(new LineLoggerProvider(file, format, level));
            }

            loggerFactory = new LoggerFactory(providers, new LoggerFilterOptions { MinLevel = level });
            owned.AddRange(providers);
            var meterProvider = port is null && otlp is null ? null : StartMetrics(port, otlp);
            var endpoint = port is { } p ? new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{p}/metrics")) : null;
            return new ObservabilitySession(loggerFactory, meterProvider, owned, endpoint);
        }
        catch
        {
            loggerFactory?.Dispose();
            foreach (var item in owned)
            {
                item.Dispose();
            }

            throw;
        }
    }

    private static MeterProvider StartMetrics(int? port, (Uri Endpoint, OtlpExportProtocol Protocol)? otlp)
    {
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService("urbanscore", serviceVersion: ProductInfo.Version))
            .AddMeter(UrbanScoreMetrics.MeterName);
        if (port is { } p)
        {
            // 127.0.0.1 only: the endpoint has no authentication; expose it to a cluster through a sidecar or port mapping.
            builder.AddPrometheusHttpListener(options =>
            {
                options.Host = "127.0.0.1";
                options.Port = p;
            });
        }

        if (otlp is { } target)
        {
            builder.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = target.Endpoint;
                exporter.Protocol = target.Protocol;

                // Every 15 s (the OTel default is 60 s): a dashboard of a long run should move within a refresh or two.
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 15_000;
            });
        }

        try
        {
            return builder.Build();
        }
        catch (InvalidOperationException ex)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"The metrics endpoint cannot listen on 127.0.0.1:{port} ({ex.InnerException?.Message ?? ex.Message}); choose another --metrics-port."), ex);
        }
    }

    private static StreamWriter OpenLogFile(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            return new StreamWriter(new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UrbanScoreException($"The log file {path} cannot be opened ({ex.Message}); pass a writable path to --log-file.", ex);
        }
    }

    private static LogFormat ParseFormat(string value) => value.ToLowerInvariant() switch
    {
        "text" => Logging.LogFormat.Text,
        "json" => Logging.LogFormat.Json,
        _ => throw new UrbanScoreException($"--log-format '{value}' is not text or json."),
    };

    private static LogLevel ParseLevel(string value) => value.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" or "info" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" or "quiet" => LogLevel.None,
        _ => throw new UrbanScoreException($"--verbosity '{value}' is not trace, debug, information, warning, error or none."),
    };

    private static (Uri Endpoint, OtlpExportProtocol Protocol)? ParseOtlp(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UrbanScoreException($"--otlp-endpoint '{value}' is not an http(s) URL; write it like http://localhost:4317.");
        }

        // The OTLP/HTTP exporter posts to the URL as given, so its path names the signal; anything else is gRPC.
        var http = uri.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal);
        return (uri, http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc);
    }
}
