using System.CommandLine;
using UrbanScore.Sources;

namespace UrbanScore.Cli.Commands;

/// <summary>Options that choose the tile source: an XYZ template or a WMTS capabilities document.</summary>
internal sealed class SourceOptions
{
    public Option<string?> Xyz { get; } = new("--xyz") { Description = "XYZ URL template, e.g. http://host/tiles/{z}/{x}/{y}.jpg ({-y} for TMS rows)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Xyz);
    }

    public Task<ITileSource> OpenAsync(ParseResult parseResult, HttpTileFetcher fetcher, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        var xyz = parseResult.GetValue(Xyz);
        if (xyz is not null)
        {
            return Task.FromResult<ITileSource>(new XyzTileSource(xyz, fetcher));
        }

        throw new UrbanScoreException("No tile source given; pass --xyz with a URL template (or --wmts with a capabilities URL).");
    }

    /// <summary>The matrix level for a requested web-mercator zoom (identity for XYZ).</summary>
    public static int ResolveZoom(ParseResult parseResult, ITileSource source, int zoom)
    {
        _ = parseResult;
        _ = source;
        return zoom;
    }
}
