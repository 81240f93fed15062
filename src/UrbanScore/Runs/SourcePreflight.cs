using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Wmts;

namespace UrbanScore.Runs;

/// <summary>
/// Asks the server for a handful of real tiles of the area before the pipeline starts, so the first-evening mistakes
/// are reported in seconds instead of hidden in an hour of retries: a wrong host or port, a DNS name that does not
/// resolve, a TLS failure or a server that never answers, a missing or wrong API key (401/403), a URL that answers
/// with a web page, JSON or an OWS exception instead of an image. Those throw <see cref="UrbanScoreException"/> (bad
/// input). Every sampled tile answering 404 is only a warning: sparse sources exist. The probes go through the run's
/// fetcher (same headers, same rate limit) and the tiles they got are handed to the run, so the server sees no extra
/// request when the source works.
/// </summary>
internal static partial class SourcePreflight
{
    /// <summary>Tiles sampled at most.</summary>
    public const int SampleSize = 5;

    /// <summary>Longest wait for one probe; a server slower than this to send one tile is reported as not answering.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(6);

    /// <summary>Longest the whole preflight may take before the run goes ahead undecided.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(16);

    private const long MaxEnumerated = 4_000_000; // sampling stops scanning a huge cover here (it stays a fair sample of its start)

    /// <summary>
    /// Probes <paramref name="source"/> with tiles of <paramref name="cover"/>. Sources that are not fetched over HTTP
    /// (anything but <see cref="XyzTileSource"/> and <see cref="WmtsTileSource"/>) pass unchecked.
    /// </summary>
    /// <param name="source">The run's source.</param>
    /// <param name="cover">The tiles the run will score (after every filter).</param>
    /// <param name="fetcher">The fetcher <paramref name="source"/> uses (borrowed).</param>
    /// <param name="cancellationToken">Cancels the probes.</param>
    /// <returns>The warnings and the source to run with (it serves the probed tiles without asking again).</returns>
    /// <exception cref="UrbanScoreException">The source cannot work: unreachable, refused, not an image service.</exception>
    public static async Task<PreflightResult> RunAsync(ITileSource source, ITileCover cover, HttpTileFetcher fetcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(cover);
        ArgumentNullException.ThrowIfNull(fetcher);
        Func<TileIndex, Uri?>? uriOf = source switch
        {
            XyzTileSource xyz => xyz.TileUri,
            WmtsTileSource wmts => t => wmts.Selection.Contains(t) ? wmts.TileUri(t) : null,
            _ => null,
        };
        if (uriOf is null)
        {
            return new PreflightResult(source, [], "preflight: skipped (not an HTTP source)");
        }

        var watch = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        var primed = new Dictionary<TileIndex, FetchedTile>();
        var notFound = 0;
        var serverErrors = new List<string>();
        var timeouts = new List<string>();
        (Uri Uri, string Message)? rejected = null;
        var probed = 0;
        foreach (var tile in Sample(cover))
        {
            if (uriOf(tile) is not { } uri)
            {
                continue;
            }

            if (budget.IsCancellationRequested)
            {
                break;
            }

            probed++;
            (FetchedTile? Result, string? Reason, Exception? Error) probe;
            try
            {
                probe = await fetcher.ProbeAsync(tile, uri, ProbeTimeout, budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                probed--; // the budget ran out during this probe: it decided nothing
                break;
            }

            if (probe.Error is { } error)
            {
                var where = HostPort(uri);
                if (error is OperationCanceledException or TimeoutException || error.InnerException is TimeoutException)
                {
                    timeouts.Add(where);
                    if (timeouts.Count < 2 || primed.Count > 0)
                    {
                        continue; // one slow tile is not an outage; the next sample decides
                    }

                    break; // two tiles without an answer, nothing answered at all: the server does not answer
                }

                throw new UrbanScoreException($"Cannot reach {where} ({NetworkFailure.Cause(error, fetcher.Redact)}); check the host and port of the tile source, or skip this check.")
                { Subject = InputSubject.Preflight };
            }

            if (probe.Result is { } result)
            {
                if (result.Status == FetchStatus.Image)
                {
                    primed[tile] = result;
                    var note = string.Create(CultureInfo.InvariantCulture, $"preflight: {HostPort(uri)} answers with images ({probed} request{(probed > 1 ? "s" : string.Empty)}, {watch.Elapsed.TotalSeconds:0.0} s)");
                    return new PreflightResult(new PrimedTileSource(source, primed), WarningsOf(notFound, serverErrors, source), note);
                }

                if (result.Status == FetchStatus.Empty)
                {
                    primed[tile] = result;
                    notFound++;
                }

                continue;
            }

            var reason = probe.Reason ?? "no answer";
            var status = StatusOf(reason);
            if (status is 401 or 403 or 407)
            {
                throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                    $"The server answered {reason.Split(':')[0]} for {fetcher.Redact(uri.ToString())}: the API key is missing or wrong; pass it in a request header such as 'Name: {{env:MY_KEY}}' or in the URL's key parameter as the service documents (keys are never printed)."))
                { Subject = InputSubject.Headers };
            }

            if (status is null or (>= 400 and < 500 and not 408 and not 429))
            {
                // An answer that is no image (a 200 with HTML, JSON, an OWS exception) or a refusal of this request.
                rejected ??= (uri, reason.StartsWith("server sent no image: ", StringComparison.Ordinal) ? reason["server sent no image: ".Length..] : reason);
                continue;
            }

            serverErrors.Add(reason);
        }

        if (rejected is { } no)
        {
            throw new UrbanScoreException($"The server sent no image for {fetcher.Redact(no.Uri.ToString())} but: {no.Message}; check the URL, layer and format of the source, or skip this check to score anyway.")
            { Subject = InputSubject.Preflight };
        }

        if (timeouts.Count > 0 && probed == timeouts.Count)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"Cannot reach {timeouts[0]} (no answer within {ProbeTimeout.TotalSeconds:0} s); check the host, port and network, or skip this check."))
            { Subject = InputSubject.Preflight };
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"preflight: no image in {probed} sampled tiles ({watch.Elapsed.TotalSeconds:0.0} s)");
        return new PreflightResult(primed.Count > 0 ? new PrimedTileSource(source, primed) : source, WarningsOf(notFound, serverErrors, source, probed), summary);
    }

    private static List<string> WarningsOf(int notFound, List<string> serverErrors, ITileSource source, int probed = 0)
    {
        var warnings = new List<string>();
        if (probed > 0 && notFound == probed)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"warning: every sampled tile ({notFound}) answered 404 (no tile) from {source.Description}; check the URL pattern ({{z}}/{{x}}/{{y}} order, {{-y}} for TMS rows, the zoom) unless the source is sparse here."));
        }

        if (serverErrors.Count > 0 && probed > 0 && serverErrors.Count + notFound == probed)
        {
            warnings.Add($"warning: the server is failing ({serverErrors[0]}); the run slows down and retries.");
        }

        return warnings;
    }

    /// <summary>The first tile of the cover, then tiles spread evenly over it.</summary>
    internal static IEnumerable<TileIndex> Sample(ITileCover cover)
    {
        var count = cover.Count;
        if (count <= 0)
        {
            yield break;
        }

        var stride = Math.Max(1, count / SampleSize);
        long index = 0;
        var taken = 0;
        foreach (var tile in cover.Enumerate())
        {
            if (index == 0 || stride == 1 || index % stride == stride / 2)
            {
                yield return tile;
                if (++taken >= SampleSize + 1)
                {
                    yield break;
                }
            }

            if (++index >= MaxEnumerated)
            {
                yield break;
            }
        }
    }

    private static string HostPort(Uri uri) => uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);

    private static int? StatusOf(string reason)
    {
        var match = StatusPrefix().Match(reason);
        return match.Success ? int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^HTTP (\d{3})\b", RegexOptions.CultureInvariant)]
    private static partial Regex StatusPrefix();
}
