using System.CommandLine;
using UrbanScore.Runs;
using UrbanScore.Sources;
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

    /// <summary>The WMTS choice as given on the command line.</summary>
    public WmtsSelectionChoice Choice(ParseResult parseResult) => new()
    {
        Layer = parseResult.GetValue(Layer),
        TileMatrixSet = parseResult.GetValue(TileMatrixSet),
        TileMatrix = parseResult.GetValue(TileMatrix),
        Style = parseResult.GetValue(Style),
        Format = parseResult.GetValue(Format),
        Dimensions = ParseDimensions(parseResult.GetValue(Dimension) ?? []),
        Encoding = parseResult.GetValue(Encoding)!.ToLowerInvariant() switch
        {
            "auto" => WmtsEncoding.Auto,
            "rest" => WmtsEncoding.Rest,
            "kvp" => WmtsEncoding.Kvp,
            var other => throw new UrbanScoreException($"--wmts-encoding '{other}' is not auto, rest or kvp."),
        },
    };

    /// <summary>Opens the source and resolves <paramref name="zoom"/> to a level of its tile matrix set.</summary>
    public Task<OpenedSource> OpenAsync(
        ParseResult parseResult, HttpTileFetcher fetcher, HttpFetchOptions http, int zoom, double referenceLatitude, CancellationToken cancellationToken) =>
        TileSources.OpenAsync(parseResult.GetValue(Xyz), parseResult.GetValue(Wmts), Choice(parseResult), http, fetcher, zoom, referenceLatitude, cancellationToken);

    /// <summary>Warns when the XYZ template carries what looks like a key in its path and it is no secret yet.</summary>
    public void WarnKeyLike(ParseResult parseResult, SecretSet secrets, Action<string> warn)
    {
        if (parseResult.GetValue(Xyz) is { } xyz && KeyLikeSegment(xyz, secrets) is { } segment)
        {
            warn($"warning: a path segment of --xyz ({segment.Length} letters and digits) looks like an API key; put it in the environment ({{env:NAME}} in the template) or pass --secret with it, or it is written to run.json and every output.");
        }
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
