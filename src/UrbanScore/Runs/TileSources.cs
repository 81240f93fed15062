using System.Globalization;
using UrbanScore.Sources;
using UrbanScore.Wmts;

namespace UrbanScore.Runs;

/// <summary>Opens the tile source of a request: an XYZ template, or a layer of a WMTS service matched to a zoom.</summary>
public static class TileSources
{
    /// <summary>
    /// Opens an XYZ source, or reads WMTS capabilities (a URL fetched with the same User-Agent and API-key headers as
    /// the tiles, or a file), chooses the layer and resolves <paramref name="zoom"/> to one of its tile matrices.
    /// </summary>
    /// <param name="xyzTemplate">XYZ URL template, or null.</param>
    /// <param name="wmtsCapabilities">WMTS GetCapabilities URL or file, or null; exactly one of the two is set.</param>
    /// <param name="wmts">The WMTS choice (layer, set, matrix, style, format, dimensions, encoding).</param>
    /// <param name="http">The HTTP options of the tile requests (headers and User-Agent are reused).</param>
    /// <param name="fetcher">The fetcher the source borrows.</param>
    /// <param name="zoom">Web-mercator zoom; for WMTS the matrix whose resolution matches it at <paramref name="referenceLatitude"/>.</param>
    /// <param name="referenceLatitude">Latitude where resolutions are compared (the area's middle), degrees.</param>
    /// <param name="cancellationToken">Cancels the capabilities request.</param>
    /// <exception cref="UrbanScoreException">No or two sources, unreadable capabilities, no such layer, or no matrix for the zoom.</exception>
    public static async Task<OpenedSource> OpenAsync(
        string? xyzTemplate,
        string? wmtsCapabilities,
        WmtsSelectionChoice wmts,
        HttpFetchOptions http,
        HttpTileFetcher fetcher,
        int zoom,
        double referenceLatitude,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wmts);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(fetcher);
        CheckOneSource(xyzTemplate, wmtsCapabilities);
        if (xyzTemplate is not null)
        {
            return new OpenedSource(new XyzTileSource(xyzTemplate, fetcher), zoom, null);
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
        var location = fetcher.Secrets.Fill(wmtsCapabilities!, "The WMTS capabilities URL");
        var capabilities = await WmtsCapabilitiesParser.LoadAsync(location, client, cancellationToken).ConfigureAwait(false);
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions
        {
            Layer = wmts.Layer,
            TileMatrixSet = wmts.TileMatrixSet,
            TileMatrix = wmts.TileMatrix,
            Style = wmts.Style,
            Format = wmts.Format,
            Dimensions = wmts.Dimensions,
            Zoom = wmts.TileMatrix is null ? zoom : null,
            ReferenceLatitude = referenceLatitude,
            Encoding = wmts.Encoding,
        });
        var level = selection.Level
            ?? throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"No tile matrix of the WMTS layer matches zoom {zoom}; name one of the set's tile matrices instead."))
            { Subject = InputSubject.Zoom };
        return new OpenedSource(new WmtsTileSource(selection, fetcher), level, selection);
    }

    /// <summary>Refuses no source and two sources.</summary>
    /// <exception cref="UrbanScoreException">Not exactly one of the two is set.</exception>
    internal static void CheckOneSource(string? xyzTemplate, string? wmtsCapabilities)
    {
        if ((xyzTemplate is null) == (wmtsCapabilities is null))
        {
            throw new UrbanScoreException(xyzTemplate is null
                ? "No tile source was given; set an XYZ URL template or a WMTS GetCapabilities URL or file."
                : "Both an XYZ template and a WMTS capabilities document were given; keep one tile source.")
            { Subject = InputSubject.Source };
        }
    }
}
