using System.CommandLine;
using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Wmts;

namespace UrbanScore.Cli.Commands;

/// <summary>
/// Options that choose the tile source: an XYZ template, or a layer of a WMTS capabilities document (URL or file)
/// with its tile matrix set, style, format and dimensions. Shared by every command that fetches tiles.
/// </summary>
internal sealed class SourceOptions
{
    public Option<string?> Xyz { get; } = new("--xyz") { Description = "XYZ URL template, e.g. http://host/tiles/{z}/{x}/{y}.jpg ({-y} for TMS rows, {s}, {q})." };

    public Option<string?> Wmts { get; } = new("--wmts") { Description = "WMTS GetCapabilities URL or file." };

    public Option<string?> Layer { get; } = new("--layer") { Description = "WMTS layer identifier (required when the service has several)." };

    public Option<string?> TileMatrixSet { get; } = new("--tile-matrix-set") { Description = "WMTS tile matrix set (default: the EPSG:3857 one, else one whose CRS is supported)." };

    public Option<string?> TileMatrix { get; } = new("--tile-matrix") { Description = "WMTS tile matrix identifier, instead of matching --zoom by resolution." };

    public Option<string?> Style { get; } = new("--style") { Description = "WMTS style (default: the layer's default style)." };

    public Option<string?> Format { get; } = new("--format") { Description = "Tile format, e.g. image/jpeg (default: JPEG when offered)." };

    public Option<string[]> Dimension { get; } = new("--dimension") { Description = "WMTS dimension NAME=VALUE, e.g. Time=2020-06-01; repeatable." };

    public Option<string> Encoding { get; } = new("--wmts-encoding") { Description = "auto (REST when the server offers it), rest or kvp.", DefaultValueFactory = _ => "auto" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Xyz, Wmts, Layer, TileMatrixSet, TileMatrix, Style, Format, Dimension, Encoding })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Opens the source and resolves <paramref name="zoom"/> to a level of its tile matrix set.</summary>
    public async Task<(ITileSource Source, int Level, WmtsSelection? Selection)> OpenAsync(
        ParseResult parseResult, HttpTileFetcher fetcher, HttpFetchOptions http, int? zoom, double referenceLatitude, Action<string> warn, CancellationToken cancellationToken)
    {
        var xyz = parseResult.GetValue(Xyz);
        var wmts = parseResult.GetValue(Wmts);
        if (xyz is not null && wmts is not null)
        {
            throw new UrbanScoreException("Both --xyz and --wmts were given; pass one tile source.");
        }

        if (xyz is not null)
        {
            if (KeyLikeSegment(xyz, fetcher.Secrets) is { } segment)
            {
                warn($"warning: a path segment of --xyz ({segment.Length} letters and digits) looks like an API key; put it in the environment ({{env:NAME}} in the template) or pass --secret with it, or it is written to run.json and every output.");
            }

            return zoom is { } z
                ? (new XyzTileSource(xyz, fetcher), z, null)
                : throw new UrbanScoreException("--tile-matrix chooses a level of a WMTS; with --xyz pass --zoom Z.");
        }

        if (wmts is null)
        {
            throw new UrbanScoreException("No tile source given; pass --xyz with a URL template or --wmts with a GetCapabilities URL or file.");
        }

        // The capabilities request carries the same identity and API-key headers as the tile requests.
        // A wrong host fails within seconds (connect timeout), not after the whole download's allowance.
#pragma warning disable CA2000 // The client takes ownership of the handler (disposeHandler: true).
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(60) };
#pragma warning restore CA2000
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", http.UserAgent);
        foreach (var (name, value) in http.Headers)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        // {env:NAME} in the capabilities URL is filled for the request only; its value is a secret from then on (the
        // document echoes it in every ResourceURL, and so in the tile URLs).
        var capabilities = await WmtsCapabilitiesParser.LoadAsync(fetcher.Secrets.Fill(wmts, "--wmts"), client, cancellationToken).ConfigureAwait(false);
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions
        {
            Layer = parseResult.GetValue(Layer),
            TileMatrixSet = parseResult.GetValue(TileMatrixSet),
            TileMatrix = parseResult.GetValue(TileMatrix),
            Style = parseResult.GetValue(Style),
            Format = parseResult.GetValue(Format),
            Dimensions = ParseDimensions(parseResult.GetValue(Dimension) ?? []),
            Zoom = parseResult.GetValue(TileMatrix) is null ? zoom : null,
            ReferenceLatitude = referenceLatitude,
            Encoding = parseResult.GetValue(Encoding)!.ToLowerInvariant() switch
            {
                "auto" => WmtsEncoding.Auto,
                "rest" => WmtsEncoding.Rest,
                "kvp" => WmtsEncoding.Kvp,
                var other => throw new UrbanScoreException($"--wmts-encoding '{other}' is not auto, rest or kvp."),
            },
        });
        var level = selection.Level ?? throw new UrbanScoreException("No tile matrix matches --zoom; pass --tile-matrix with one of the set's identifiers.");
        return (new WmtsTileSource(selection, fetcher), level, selection);
    }

    /// <summary>A cover filter that keeps only tiles inside the WMTS layer's TileMatrixSetLimits.</summary>
    public static Func<ITileCover, ITileCover>? LimitsFilter(WmtsSelection? selection)
    {
        if (selection is null)
        {
            return null;
        }

        return cover =>
        {
            if (cover is not RangeCover ranges)
            {
                return cover; // the WMTS source answers "empty" without a request for tiles outside the limits
            }

            var kept = ranges.Ranges.Select(selection.Restrict).OfType<TileRange>().ToList();
            return kept.Count > 0
                ? new RangeCover(kept)
                : throw new UrbanScoreException($"The area lies outside the tiles layer {selection.Layer.Identifier} offers at this zoom; check --bbox and --zoom.");
        };
    }

    /// <summary>
    /// A path segment of an XYZ template that looks like a key (20+ letters, digits, '-' or '_', with both letters and
    /// digits, not a placeholder) and is not already a secret, or null. Terramonitor-style services put the key there.
    /// </summary>
    private static string? KeyLikeSegment(string template, SecretSet secrets)
    {
        if (!Uri.TryCreate(template.Replace("{", "%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.AbsolutePath.Split('/').FirstOrDefault(s =>
            s.Length >= 20 && !s.Contains('%', StringComparison.Ordinal)
            && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            && s.Any(char.IsAsciiDigit) && s.Any(char.IsAsciiLetter)
            && secrets.Redact(s) == s);
    }

    private static List<KeyValuePair<string, string>> ParseDimensions(string[] values)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UrbanScoreException($"--dimension '{value}' is not NAME=VALUE; write it like Time=2020-06-01.");
            }

            result.Add(new(value[..eq], value[(eq + 1)..]));
        }

        return result;
    }
}
