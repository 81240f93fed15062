using UrbanScore.Tiling;

namespace UrbanScore.Sources;

/// <summary>
/// Tiles from an XYZ URL template in the GoogleMapsCompatible grid: <c>{z}</c>, <c>{x}</c>, <c>{y}</c> (or
/// <c>{-y}</c> for TMS row order), optionally <c>{s}</c> (subdomains a, b, c) and <c>{q}</c> (Bing quadkey). Borrows the
/// fetcher: the caller owns and disposes it.
/// </summary>
public sealed class XyzTileSource : ITileSource
{
    private readonly TileUrlPattern _pattern;
    private readonly HttpTileFetcher _fetcher;

    /// <summary>Creates the source.</summary>
    /// <param name="template">
    /// URL template, e.g. <c>https://host/{env:TM_KEY}/rgb/{z}/{x}/{y}.png</c>: an <c>{env:NAME}</c> placeholder is filled
    /// from the environment for the requests only and its value becomes one of the fetcher's secrets.
    /// </param>
    /// <param name="fetcher">The shared fetcher (borrowed).</param>
    /// <exception cref="UrbanScoreException">The template is not an absolute http(s) URL or lacks a placeholder.</exception>
    public XyzTileSource(string template, HttpTileFetcher fetcher)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(fetcher);
        var lower = template.ToLowerInvariant();
        var hasQuadkey = lower.Contains("{q}", StringComparison.Ordinal);
        if (!hasQuadkey && (!lower.Contains("{z}", StringComparison.Ordinal) || !lower.Contains("{x}", StringComparison.Ordinal)
            || !(lower.Contains("{y}", StringComparison.Ordinal) || lower.Contains("{-y}", StringComparison.Ordinal))))
        {
            throw new UrbanScoreException($"The XYZ template '{SecretRedactor.Redact(template)}' lacks {{z}}, {{x}} or {{y}}; write it like http://host/tiles/{{z}}/{{x}}/{{y}}.jpg.");
        }

        _pattern = TileUrlPattern.Xyz(fetcher.Secrets.Fill(template, "The XYZ template"));
        var probe = _pattern.Format(new TileIndex(Zoom: 0, Col: 0, Row: 0));
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UrbanScoreException($"The XYZ template '{SecretRedactor.Redact(template)}' is not an absolute http(s) URL; give the full address, e.g. https://host/tiles/{{z}}/{{x}}/{{y}}.jpg.");
        }

        _fetcher = fetcher;
        Description = "XYZ " + fetcher.Redact(template) + fetcher.HeadersNote;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public TileMatrixSet MatrixSet { get; } = TileMatrixSet.WebMercatorQuad();

    /// <summary>The URL of a tile.</summary>
    /// <remarks>The URL may carry secrets: redact it with the fetcher before showing it.</remarks>
    public Uri TileUri(TileIndex tile) => new(_pattern.Format(tile));

    /// <inheritdoc />
    public Task<FetchedTile> FetchAsync(TileIndex tile, CancellationToken cancellationToken) =>
        _fetcher.FetchAsync(tile, TileUri(tile), cancellationToken);
}
