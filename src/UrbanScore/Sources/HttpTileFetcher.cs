using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using UrbanScore.Observability;
using UrbanScore.Tiling;

namespace UrbanScore.Sources;

/// <summary>
/// Fetches tiles over HTTP politely: one pooled <see cref="HttpClient"/> (HTTP/2 where offered, gzip/brotli), a
/// per-host request rate limit, retries with exponential backoff and full jitter on 429/5xx/timeouts/broken
/// connections honouring Retry-After, a body size cap, manual redirects (never to a non-HTTP scheme, to another host
/// only when allowed), and a classification of every response into image / empty / failed.
/// A host that keeps failing is paused by a circuit (<see cref="HostCircuit"/>) instead of being hammered, and an
/// optional disk cache (<see cref="HttpFetchOptions.CacheFolder"/>) saves downloads across runs, revalidated by ETag.
/// The retry loop is hand-written rather than Polly's: it needs the response classification (an OWS exception with
/// HTTP 200 is final, an empty 200 body is retried), Retry-After capped by our own ceiling, a rate limiter that
/// counts at the server (<see cref="RequestSpacer"/>), and a circuit that slows down rather than failing fast.
/// Owns its <see cref="HttpClient"/>; dispose it after the run. Thread-safe.
/// </summary>
public sealed class HttpTileFetcher : IDisposable
{
    private const int MaxRedirects = 5;
    private readonly HttpClient _client;
    private readonly HttpFetchOptions _options;
    private readonly ConcurrentDictionary<string, RequestSpacer> _limiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, HostCircuit> _circuits = new(StringComparer.OrdinalIgnoreCase);
    private readonly TileDiskCache? _cache;
    private long _retries;
    private long _bytes;
    private long _cacheHits;
    private long _failingSinceTicks; // UTC ticks of the first failed attempt since the last answer; 0 = not failing
    private string? _lastFailure;

    /// <summary>
    /// " with headers Name: ***, …" when requests carry headers (API keys), else empty: appended to a source's
    /// description so the record says a key is needed without holding it (the viewer then omits the imagery).
    /// </summary>
    internal string HeadersNote => _options.Headers.Count == 0 ? string.Empty
        : " with headers " + string.Join(", ", _options.Headers.Select(h => h.Key + ": " + SecretRedactor.Mask));

    /// <summary>Creates the fetcher and its HTTP client.</summary>
    public HttpTileFetcher(HttpFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
#pragma warning disable CA2000 // The HttpClient below takes ownership of the handler (disposeHandler: true).
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            MaxConnectionsPerServer = Math.Max(2, options.Concurrency),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),

            // A whole response in one read (ReadBufferedStream): one system call fewer per tile on plain HTTP/1.1.
            PlaintextStreamFilter = static (context, _) => ValueTask.FromResult(
                ReadBufferedStream.Helps(context.InitialRequestMessage.RequestUri?.Scheme, context.NegotiatedHttpVersion)
                    ? new ReadBufferedStream(context.PlaintextStream)
                    : context.PlaintextStream),
        };

#pragma warning restore CA2000
        // Every request goes as HTTP/1.1, on purpose and now said so: the DefaultRequestVersion of 2.0 this client had
        // never applied, as HttpClient only puts it on the requests its convenience methods build, never on those
        // given to SendAsync. HTTP/2 was measured instead (benchmarks/results/2026-12-02-residual.md: cleartext h2
        // against `bench --serve`, four pairs): it costs more CPU per tile on the cores the compute workers need, the
        // client's outside them 0.035–0.048 → 0.045–0.080 ms and thread-pool work items 0.007 → 2.2 per tile, and
        // `cpuEfficiencyVsLimit` read 0.939 → 0.926 (medians).
        _client = new HttpClient(handler, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan, // per-attempt timeouts are ours, so a retry can follow one
        };
        _client.DefaultRequestHeaders.UserAgent.Clear();
        _client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
        foreach (var (name, value) in options.Headers)
        {
            _client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        foreach (var (_, value) in options.Headers)
        {
            options.Secrets.Add(value);
        }

        _cache = options.CacheFolder is null ? null : new TileDiskCache(options.CacheFolder);
    }

    /// <summary>Tiles served from the disk cache so far (without a download, or after a 304).</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    /// <summary>Times a failing host was paused by the circuit so far.</summary>
    public long CircuitPauses => _circuits.Values.Sum(c => c.Pauses);

    /// <summary>Retries made so far (all tiles).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>
    /// When the current outage began: the first failed attempt (connection, timeout, 429, 5xx) since the last request
    /// the server answered with a tile or a definite "no tile"; null while requests succeed.
    /// </summary>
    public DateTimeOffset? FailingSince => Interlocked.Read(ref _failingSinceTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The reason of the latest failed attempt (redacted), or null.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Body bytes received so far.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytes);

    /// <summary>The run's secrets (<see cref="HttpFetchOptions.Secrets"/>), header values included.</summary>
    public SecretSet Secrets => _options.Secrets;

    /// <summary>Removes secrets (key parameters, user-info, header values, filled placeholders, --secret values) from a text.</summary>
    public string Redact(string text) => _options.Secrets.Redact(text);

    /// <summary>
    /// Fetches <paramref name="uri"/> for <paramref name="tile"/>. Never throws for a per-tile failure; throws only
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<FetchedTile> FetchAsync(TileIndex tile, Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        CachedTile? cached = null;
        if (_cache is not null && _cache.TryRead(uri, out var entry))
        {
            if (entry.ETag is null)
            {
                Interlocked.Increment(ref _cacheHits);
                return FetchedTile.Image(tile, entry.Buffer, entry.Length, 0);
            }

            cached = entry;
        }

        var handedOver = false;
        try
        {
            var result = await FetchWithRetriesAsync(tile, uri, cached, cancellationToken).ConfigureAwait(false);
            handedOver = cached is { } c && ReferenceEquals(result.Buffer, c.Buffer);
            return result;
        }
        finally
        {
            if (!handedOver && cached is { } unused)
            {
                ArrayPool<byte>.Shared.Return(unused.Buffer);
            }
        }
    }

    private async Task<FetchedTile> FetchWithRetriesAsync(TileIndex tile, Uri uri, CachedTile? cached, CancellationToken cancellationToken)
    {
        var circuit = _circuits.GetOrAdd(uri.Authority, _ => new HostCircuit(_options.CircuitFailureThreshold, _options.CircuitPause, _options.CircuitMaxPause));
        string? lastReason = null;
        var lastKind = FailureKind.None;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await circuit.WaitAsync(TimeProvider.System, cancellationToken).ConfigureAwait(false);
            TimeSpan? retryAfter = null;
            bool retryable;
            try
            {
                var outcome = await AttemptAsync(tile, uri, attempt, cached, cancellationToken).ConfigureAwait(false);
                if (outcome.Result is { } result)
                {
                    circuit.OnSuccess();
                    Interlocked.Exchange(ref _failingSinceTicks, 0);
                    return result;
                }

                lastReason = outcome.Reason;
                lastKind = outcome.Kind;
                retryable = outcome.Retryable;
                retryAfter = outcome.RetryAfter;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastReason = string.Create(CultureInfo.InvariantCulture, $"timed out after {_options.RequestTimeout.TotalSeconds:0.#} s");
                lastKind = FailureKind.Timeout;
                retryable = true;
            }
            catch (HttpRequestException ex)
            {
                lastReason = "connection failed: " + Redact(ex.Message);
                lastKind = FailureKind.Connection;
                retryable = true;
            }
            catch (IOException ex)
            {
                lastReason = "connection broken while reading: " + Redact(ex.Message);
                lastKind = FailureKind.Connection;
                retryable = true;
            }

            if (retryable)
            {
                circuit.OnFailure(TimeProvider.System);
                Volatile.Write(ref _lastFailure, lastReason);
                Interlocked.CompareExchange(ref _failingSinceTicks, DateTimeOffset.UtcNow.UtcTicks, 0);
            }
            else
            {
                circuit.OnSuccess(); // the server answered; the answer is just not a tile
            }

            if (!retryable || attempt > _options.MaxRetries)
            {
                if (retryable && cached is { } stale)
                {
                    // Revalidation failed, but we hold the tile the server sent before: use it (stale-if-error).
                    Interlocked.Increment(ref _cacheHits);
                    return FetchedTile.Image(tile, stale.Buffer, stale.Length, attempt);
                }

                var suffix = attempt > 1 ? string.Create(CultureInfo.InvariantCulture, $" (after {attempt} attempts)") : string.Empty;
                return FetchedTile.Failed(tile, lastKind, lastReason + suffix, attempt);
            }

            Interlocked.Increment(ref _retries);
            var backoff = Backoff(attempt, retryAfter);
            UrbanScoreMetrics.RecordRetry(lastKind, backoff, retryAfter is not null);
            await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One attempt at <paramref name="uri"/>, without retries, circuit or cache lookup, under the same rate limit as
    /// the run: what the preflight of a run asks. Network errors come back as the exception.
    /// </summary>
    internal async Task<(FetchedTile? Result, string? Reason, Exception? Error)> ProbeAsync(TileIndex tile, Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await AttemptAsync(tile, uri, 1, null, cancellationToken, timeout).ConfigureAwait(false);
            return (outcome.Result, outcome.Reason, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, null, ex);
        }
    }

    private async Task<AttemptOutcome> AttemptAsync(TileIndex tile, Uri uri, int attempt, CachedTile? cached, CancellationToken cancellationToken, TimeSpan? attemptTimeout = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(attemptTimeout ?? _options.RequestTimeout);
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (cached?.ETag is { } etag)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }
            using var response = await SendPolitelyAsync(request, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                {
                    return AttemptOutcome.Fail(FailureKind.Redirect, $"redirect to a non-HTTP URL ({next.Scheme}:) refused", retryable: false);
                }

                if (!string.Equals(next.Host, current.Host, StringComparison.OrdinalIgnoreCase) && !_options.FollowRedirectsToOtherHosts)
                {
                    return AttemptOutcome.Fail(FailureKind.Redirect, $"redirect to another host ({next.Host}) refused; pass --follow-redirects-to-other-hosts to allow it", retryable: false);
                }

                if (hop >= MaxRedirects)
                {
                    return AttemptOutcome.Fail(FailureKind.Redirect, "too many redirects (a redirect loop?)", retryable: false);
                }

                current = next;
                continue;
            }

            if (response.StatusCode == HttpStatusCode.NotModified && cached is { } still)
            {
                Interlocked.Increment(ref _cacheHits);
                return AttemptOutcome.Done(FetchedTile.Image(tile, still.Buffer, still.Length, attempt));
            }

            var outcome = await ClassifyAsync(tile, response, attempt, timeout.Token).ConfigureAwait(false);
            if (_cache is not null && outcome.Result is { Status: FetchStatus.Image, Buffer: { } body } fresh)
            {
                await _cache.WriteAsync(uri, body.AsMemory(0, fresh.Length), response.Headers.ETag?.ToString(), cancellationToken).ConfigureAwait(false);
            }

            return outcome;
        }
    }

    private async Task<AttemptOutcome> ClassifyAsync(TileIndex tile, HttpResponseMessage response, int attempt, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is 404 or 204)
        {
            return AttemptOutcome.Done(FetchedTile.Empty(tile, FailureKinds.OfHttpStatus(status), status == 404 ? "HTTP 404: no tile here" : "HTTP 204: no content", attempt));
        }

        if (status is 429 or 408 or >= 500)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}");
            var body = await ReadSnippetAsync(response, cancellationToken).ConfigureAwait(false);
            if (body.Length > 0)
            {
                reason += ": " + body;
            }

            return AttemptOutcome.Fail(FailureKinds.OfHttpStatus(status), reason, retryable: true, RetryAfter(response.Headers.RetryAfter));
        }

        if (status != 200)
        {
            var body = await ReadSnippetAsync(response, cancellationToken).ConfigureAwait(false);
            var reason = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}");
            return AttemptOutcome.Fail(FailureKinds.OfHttpStatus(status), body.Length > 0 ? reason + ": " + body : reason, retryable: false);
        }

        if (response.Content.Headers.ContentLength is { } declared && declared > _options.MaxTileBytes)
        {
            return AttemptOutcome.Fail(FailureKind.TooLarge, string.Create(CultureInfo.InvariantCulture, $"tile body of {declared} bytes exceeds the {_options.MaxTileBytes}-byte cap"), retryable: false);
        }

        var (buffer, length, tooLarge) = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        if (tooLarge)
        {
            return AttemptOutcome.Fail(FailureKind.TooLarge, string.Create(CultureInfo.InvariantCulture, $"tile body exceeds the {_options.MaxTileBytes}-byte cap"), retryable: false);
        }

        Interlocked.Add(ref _bytes, length);
        UrbanScoreMetrics.BytesFetched.Add(length);
        if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return AttemptOutcome.Fail(FailureKind.EmptyBody, "HTTP 200 with an empty body", retryable: true);
        }

        var kind = ImageSniffer.Sniff(buffer.AsSpan(0, length));
        if (kind == ImageSniffer.Kind.NotImage)
        {
            var message = ServerMessage.Extract(buffer.AsSpan(0, length), response.Content.Headers.ContentType);
            ArrayPool<byte>.Shared.Return(buffer);
            return AttemptOutcome.Fail(FailureKind.NotImage, "server sent no image: " + Redact(message), retryable: false);
        }

        return AttemptOutcome.Done(FetchedTile.Image(tile, buffer, length, attempt));
    }

    private async Task<(byte[] Buffer, int Length, bool TooLarge)> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var capacity = (int)Math.Clamp(response.Content.Headers.ContentLength ?? 64 * 1024, 1024, _options.MaxTileBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var length = 0;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= _options.MaxTileBytes)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            return ([], 0, true);
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxTileBytes));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (buffer, length, false);
                    }

                    length += read;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var (buffer, length, tooLarge) = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        if (tooLarge)
        {
            return string.Empty;
        }

        try
        {
            return length == 0 ? string.Empty : Redact(ServerMessage.Extract(buffer.AsSpan(0, length), response.Content.Headers.ContentType));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<HttpResponseMessage> SendPolitelyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_options.MaxRequestsPerSecond <= 0)
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }

        var limiter = _limiters.GetOrAdd(request.RequestUri!.Authority, _ => new RequestSpacer(_options.MaxRequestsPerSecond));
        var waitStarted = Stopwatch.GetTimestamp();
        await limiter.AcquireAsync(TimeProvider.System, cancellationToken).ConfigureAwait(false);
        UrbanScoreMetrics.RecordRateLimitWait(Stopwatch.GetElapsedTime(waitStarted));
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            limiter.Release(TimeProvider.System);
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var ceiling = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
        var jittered = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
        if (retryAfter is { } serverSays)
        {
            var wait = serverSays > _options.MaxBackoff ? _options.MaxBackoff : serverSays;
            return wait > jittered ? wait : jittered;
        }

        return jittered;
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
    }

    private readonly record struct AttemptOutcome(FetchedTile? Result, FailureKind Kind, string? Reason, bool Retryable, TimeSpan? RetryAfter)
    {
        public static AttemptOutcome Done(FetchedTile result) => new(result, FailureKind.None, null, false, null);

        public static AttemptOutcome Fail(FailureKind kind, string reason, bool retryable, TimeSpan? retryAfter = null) => new(null, kind, reason, retryable, retryAfter);
    }
}
