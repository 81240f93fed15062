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
