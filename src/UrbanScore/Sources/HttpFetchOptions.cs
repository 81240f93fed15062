using System.Globalization;

namespace UrbanScore.Sources;

/// <summary>How tiles are fetched over HTTP: politeness, retries and limits.</summary>
public sealed class HttpFetchOptions
{
    /// <summary>User-Agent sent with every request; servers ask clients to identify themselves.</summary>
    public string UserAgent { get; init; } = $"UrbanScore/{ProductInfo.Version} (+https://github.com/urbanscore/urbanscore)";

    /// <summary>Extra request headers (e.g. an API key header). Values are secrets: never logged.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// The run's secrets: header values are added to it, <c>{env:NAME}</c> placeholders are filled through it, and
    /// every message the fetcher produces is redacted with it. Shared with whatever else prints or stores text.
    /// </summary>
    public SecretSet Secrets { get; init; } = new();

    /// <summary>Requests in flight at once (the number of fetch workers).</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Most requests per second to one host; 0 means no limit.</summary>
    public double MaxRequestsPerSecond { get; init; }

    /// <summary>Retries after the first attempt for 429, 5xx, timeouts and broken connections.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; doubles per retry, with full jitter, capped at <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between two attempts, including a server's Retry-After.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time limit of one attempt (headers and body).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest tile body accepted, in bytes; a larger one is a failed tile.</summary>
    public int MaxTileBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Whether a redirect to another host is followed (never to a non-HTTP scheme).</summary>
    public bool FollowRedirectsToOtherHosts { get; init; }

    /// <summary>
    /// Folder of the disk cache of tile bodies (<c>--cache</c>), or null for none. Entries carry the server's ETag and
    /// are revalidated with If-None-Match; entries without an ETag are used without a request.
    /// </summary>
    public string? CacheFolder { get; init; }

    /// <summary>Consecutive failed attempts to one host that pause it (0 turns the circuit off).</summary>
    public int CircuitFailureThreshold { get; init; } = 8;

    /// <summary>First pause of a failing host; doubles while failures go on, up to <see cref="CircuitMaxPause"/>.</summary>
    public TimeSpan CircuitPause { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest pause of a failing host.</summary>
    public TimeSpan CircuitMaxPause { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Refuses options no run can work with: the one check the command line and the library share.</summary>
    /// <exception cref="UrbanScoreException">A value out of range.</exception>
    public void Validate()
    {
        if (Concurrency is < 1 or > 1024)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"Concurrency {Concurrency} is outside 1..1024; give the number of requests in flight, e.g. 16."))
            { Subject = InputSubject.Concurrency };
        }

        if (MaxRequestsPerSecond < 0 || !double.IsFinite(MaxRequestsPerSecond))
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"{MaxRequestsPerSecond} requests per second is not a rate; give 0 (no limit) or a positive number."))
            { Subject = InputSubject.MaxRequestsPerSecond };
        }

        if (!(RequestTimeout > TimeSpan.Zero && RequestTimeout <= TimeSpan.FromHours(1)))
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"A timeout of {RequestTimeout.TotalSeconds} s per request is outside (0, 3600] s; give a number of seconds such as 30."))
            { Subject = InputSubject.Timeout };
        }

        if (MaxRetries is < 0 or > 100)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"{MaxRetries} retries is outside 0..100; give a count such as 4."))
            { Subject = InputSubject.Retries };
        }
    }
}
