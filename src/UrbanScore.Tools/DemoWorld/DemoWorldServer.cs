using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using UrbanScore.Tiling;
using UrbanScore.Tools.Hosting;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// Serves the <see cref="DemoWorldRenderer"/> over HTTP on 127.0.0.1 (Kestrel) as XYZ
/// (<c>/xyz/{z}/{x}/{y}.jpg</c>) and WMTS 1.0.0 (<c>/wmts/1.0.0/WMTSCapabilities.xml</c>, RESTful
/// <c>/wmts/1.0.0/demo/default/{Time}/GoogleMapsCompatible/{TileMatrix}/{TileRow}/{TileCol}.jpg</c> and KVP <c>/wmts?...</c>).
/// The layer has a WMTS <c>Time</c> dimension: the world in each year of <see cref="DemoWorldRenderer.ServedYears"/>
/// (default <see cref="DemoWorldRenderer.DefaultYear"/>; KVP <c>TIME=2015</c>, XYZ <c>/xyz/2015/{z}/{x}/{y}.jpg</c>); paths
/// without a time serve the default year. The caller owns the instance and stops the server by disposing it.
/// </summary>
public sealed class DemoWorldServer : IAsyncDisposable
{
    /// <summary>Version of the world's look; part of every ETag so caches drop tiles when the renderer changes.</summary>
    private const string WorldVersion = "1";

    private KestrelHost _host = null!;
    private readonly DemoWorldRenderer _world;
    private readonly ConcurrentDictionary<int, (DemoWorldRenderer World, TileCache Cache)> _years = new();
    private string _capabilities = string.Empty;

    private DemoWorldServer(DemoWorldRenderer world)
    {
        _world = world;
    }

    /// <summary>The year served when a request names none.</summary>
    public int DefaultYear => _world.Year;

    /// <summary>Root of the server, e.g. <c>http://127.0.0.1:5123/</c> (ends with a slash).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>XYZ URL template with <c>{z}</c>, <c>{x}</c> and <c>{y}</c> placeholders.</summary>
    public string XyzTemplate => BaseUri.AbsoluteUri + "xyz/{z}/{x}/{y}.jpg";

    /// <summary>XYZ URL template of the world in <paramref name="year"/> (one of <see cref="DemoWorldRenderer.ServedYears"/>).</summary>
    public string XyzTemplateFor(int year) => BaseUri.AbsoluteUri + "xyz/" + year.ToString(CultureInfo.InvariantCulture) + "/{z}/{x}/{y}.jpg";

    /// <summary>WMTS capabilities URL (RESTful).</summary>
    public Uri CapabilitiesUri => new(BaseUri, "wmts/1.0.0/WMTSCapabilities.xml");

    /// <summary>Starts a server for <see cref="DemoWorldRenderer.Default"/> on 127.0.0.1.</summary>
    /// <param name="port">TCP port, 0 for a free ephemeral port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="UrbanScoreException">The port is in use or not allowed.</exception>
    public static Task<DemoWorldServer> StartAsync(int port = 0, CancellationToken cancellationToken = default) =>
        StartAsync(DemoWorldRenderer.Default, port, cancellationToken);

    /// <summary>Starts a server for <paramref name="world"/> on 127.0.0.1.</summary>
    /// <param name="world">The world to serve.</param>
    /// <param name="port">TCP port, 0 for a free ephemeral port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="UrbanScoreException">The port is in use or not allowed.</exception>
    public static async Task<DemoWorldServer> StartAsync(DemoWorldRenderer world, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);

        var server = new DemoWorldServer(world);
        server._host = await KestrelHost.StartAsync(IPAddress.Loopback, port, server.HandleAsync, "The demo world server", cancellationToken).ConfigureAwait(false);
        server.BaseUri = server._host.BaseUri;
        server._capabilities = WmtsCapabilitiesDocument.Build(server.BaseUri, Years(world), world.Year);
        return server;
    }

    /// <summary>Stops the server and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The years advertised: the served years, plus the world's own year if it is not among them.</summary>
    private static IReadOnlyList<int> Years(DemoWorldRenderer world) =>
        [.. DemoWorldRenderer.ServedYears.Append(world.Year).Distinct().Order()];

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var segments = path.Trim('/').Split('/');
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        // /xyz/{z}/{x}/{y}.jpg
        if (segments is ["xyz", var z, var x, var yJpg])
        {
            return TryTile(z, x, StripJpg(yJpg), out var tile)
                ? WriteTileAsync(context, tile, _world.Year)
                : WriteTextAsync(context, StatusCodes.Status404NotFound, "text/plain", $"No tile {path}: zoom 0..{DemoWorldRenderer.MaxZoom}, x and y in 0..2^zoom-1, .jpg only.");
        }

        // /xyz/{year}/{z}/{x}/{y}.jpg
        if (segments is ["xyz", var yearText, var z2, var x2, var yJpg2])
        {
            return TryYear(yearText, out var year) && TryTile(z2, x2, StripJpg(yJpg2), out var tile)
                ? WriteTileAsync(context, tile, year)
                : WriteTextAsync(context, StatusCodes.Status404NotFound, "text/plain", $"No tile {path}: year one of {string.Join(", ", Years(_world))}, zoom 0..{DemoWorldRenderer.MaxZoom}, x and y in 0..2^zoom-1, .jpg only.");
        }

        if (segments is ["wmts", "1.0.0", "WMTSCapabilities.xml"])
        {
            return WriteCapabilitiesAsync(context);
        }

        // /wmts/1.0.0/{layer}/{style}/{matrixSet}/{TileMatrix}/{TileRow}/{TileCol}.jpg
        if (segments is ["wmts", "1.0.0", var layer, var style, var set, var matrix, var row, var colJpg])
        {
            return GetTileAsync(context, layer, style, null, set, matrix, row, StripJpg(colJpg) ?? colJpg, colJpg.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : null);
        }

        // /wmts/1.0.0/{layer}/{style}/{Time}/{matrixSet}/{TileMatrix}/{TileRow}/{TileCol}.jpg
        if (segments is ["wmts", "1.0.0", var layer2, var style2, var time, var set2, var matrix2, var row2, var colJpg2])
        {
            return GetTileAsync(context, layer2, style2, time, set2, matrix2, row2, StripJpg(colJpg2) ?? colJpg2, colJpg2.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : null);
        }

        if (segments is ["wmts"])
        {
            return HandleKvpAsync(context);
        }

        if (segments is [""])
        {
            return WriteTextAsync(context, StatusCodes.Status200OK, "text/plain", $"UrbanScore demo world (synthetic imagery).\nWMTS: {CapabilitiesUri}\nXYZ: {XyzTemplate}\n");
        }

        return WriteTextAsync(context, StatusCodes.Status404NotFound, "text/plain", "Not found.");
    }

    private Task HandleKvpAsync(HttpContext context)
    {
        // KVP parameter names are case-insensitive (OGC 06-121r3 §11.5.2).
        string? Get(string name)
        {
            foreach (var pair in context.Request.Query)
            {
                if (pair.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return pair.Value.ToString();
                }
            }

            return null;
        }

        var service = Get("SERVICE");
        if (service is null)
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "MissingParameterValue", "SERVICE", "The SERVICE parameter is missing; use SERVICE=WMTS.");
        }

        if (!service.Equals("WMTS", StringComparison.OrdinalIgnoreCase))
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValue", "SERVICE", $"SERVICE={service} is not served here; use SERVICE=WMTS.");
        }

        var request = Get("REQUEST");
        if (request is null)
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "MissingParameterValue", "REQUEST", "The REQUEST parameter is missing; use GetCapabilities or GetTile.");
        }

        if (request.Equals("GetCapabilities", StringComparison.OrdinalIgnoreCase))
        {
            return WriteCapabilitiesAsync(context);
        }

        if (!request.Equals("GetTile", StringComparison.OrdinalIgnoreCase))
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status501NotImplemented, "OperationNotSupported", "REQUEST", $"REQUEST={request} is not supported; use GetCapabilities or GetTile.");
        }

        foreach (var name in new[] { "LAYER", "STYLE", "FORMAT", "TILEMATRIXSET", "TILEMATRIX", "TILEROW", "TILECOL" })
        {
            if (string.IsNullOrEmpty(Get(name)))
            {
                return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "MissingParameterValue", name, $"The GetTile parameter {name} is missing.");
            }
        }

        return GetTileAsync(context, Get("LAYER")!, Get("STYLE")!, Get("TIME"), Get("TILEMATRIXSET")!, Get("TILEMATRIX")!, Get("TILEROW")!, Get("TILECOL")!, Get("FORMAT"));
    }

    private Task GetTileAsync(HttpContext context, string layer, string style, string? time, string set, string matrix, string row, string col, string? format)
    {
        if (layer != WmtsCapabilitiesDocument.Layer)
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValue", "LAYER", $"Unknown layer '{layer}'; the only layer is '{WmtsCapabilitiesDocument.Layer}'.");
        }

        if (style != WmtsCapabilitiesDocument.Style)
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValue", "STYLE", $"Unknown style '{style}'; the only style is '{WmtsCapabilitiesDocument.Style}'.");
        }

        var year = _world.Year;
        if (!string.IsNullOrEmpty(time) && !TryYear(time, out year))
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValue", "TIME", $"Unknown Time '{time}'; the years served are {string.Join(", ", Years(_world))}.");
        }

        if (format != "image/jpeg")
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValue", "FORMAT", "The only format is image/jpeg (.jpg).");
        }

        if (set != WmtsCapabilitiesDocument.MatrixSet)
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValue", "TILEMATRIXSET", $"Unknown tile matrix set '{set}'; the only one is '{WmtsCapabilitiesDocument.MatrixSet}'.");
        }

        if (!int.TryParse(matrix, NumberStyles.None, CultureInfo.InvariantCulture, out var zoom) || zoom > DemoWorldRenderer.MaxZoom)
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValue", "TILEMATRIX", $"Unknown tile matrix '{matrix}'; they are 0..{DemoWorldRenderer.MaxZoom}.");
        }

        var size = 1L << zoom;
        if (!long.TryParse(row, NumberStyles.None, CultureInfo.InvariantCulture, out var r) || r >= size)
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "TileOutOfRange", "TILEROW", $"TileRow {row} is outside 0..{size - 1} of tile matrix {zoom}.");
        }

        if (!long.TryParse(col, NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c >= size)
        {
            return WriteOwsExceptionAsync(context, StatusCodes.Status400BadRequest, "TileOutOfRange", "TILECOL", $"TileCol {col} is outside 0..{size - 1} of tile matrix {zoom}.");
        }

        return WriteTileAsync(context, new TileIndex(Zoom: zoom, Col: (int)c, Row: (int)r), year);
    }

    private bool TryYear(string text, out int year) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out year) && Years(_world).Contains(year);

    private async Task WriteTileAsync(HttpContext context, TileIndex tile, int year)
    {
        // The default year keeps the tag it always had, so caches filled before the Time dimension stay valid.
        var yearTag = year == _world.Year ? string.Empty : year.ToString(CultureInfo.InvariantCulture) + "-";
        var etag = $"\"demo-{WorldVersion}-{yearTag}{tile.Zoom.ToString(CultureInfo.InvariantCulture)}-{tile.Col.ToString(CultureInfo.InvariantCulture)}-{tile.Row.ToString(CultureInfo.InvariantCulture)}\"";
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "public, max-age=86400";
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var (world, cache) = _years.GetOrAdd(year, y => (_world.WithYear(y), new TileCache(capacity: 1024)));
        var bytes = cache.GetOrAdd(tile, t => world.RenderJpeg(t));
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "image/jpeg";
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private Task WriteCapabilitiesAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return WriteTextAsync(context, StatusCodes.Status200OK, "application/xml; charset=utf-8", _capabilities);
    }

    private static Task WriteOwsExceptionAsync(HttpContext context, int status, string code, string? locator, string text) =>
        WriteTextAsync(context, status, "application/xml; charset=utf-8", WmtsCapabilitiesDocument.Exception(code, locator, text));

    private static Task WriteTextAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static bool TryTile(string z, string x, string? y, out TileIndex tile)
    {
        tile = default;
        if (y is null
            || !int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out var zoom)
            || !int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var col)
            || !int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var row))
        {
            return false;
        }

        tile = new TileIndex(Zoom: zoom, Col: col, Row: row);
        return DemoWorldRenderer.Contains(tile);
    }

    private static string? StripJpg(string name) =>
        name.EndsWith(".jpg", StringComparison.Ordinal) ? name[..^4] : null;
}
