using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using UrbanScore.Rendering;
using UrbanScore.Tiling;

namespace UrbanScore.Tools.Hosting;

/// <summary>
/// Serves one output folder over HTTP (Kestrel): the viewer at <c>/</c>, the heatmap as XYZ
/// (<c>/heatmap/{z}/{x}/{y}.png</c>; a transparent tile where none was written inside the pyramid's levels and the tile
/// matrix, 404 outside), its WMTS capabilities (<c>/heatmap-wmts.xml</c>) and TileJSON (<c>/tilejson.json</c>) with
/// their URLs re-pointed to the server's own address (never the request's Host header, which a client chooses), the
/// products, and for runs of the demo world its imagery (<c>/demo-world/{z}/{x}/{y}.jpg</c>, rendered here: the world is
/// deterministic). Only regular files inside the folder with a known product extension are served: no directory
/// listing, no dot-files, nothing outside the folder (traversal attempts get 404). The caller owns the instance and
/// stops the server by disposing it.
/// </summary>
public sealed class RunFolderServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string> s_contentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".png"] = "image/png",
        [".json"] = "application/json",
        [".xml"] = "application/xml",
        [".csv"] = "text/csv; charset=utf-8",
        [".geojson"] = "application/geo+json",
        [".tif"] = "image/tiff",
        [".mbtiles"] = "application/vnd.sqlite3",
    };

    private readonly ConcurrentQueue<(string Path, int Status)> _log = new();
    private readonly string _root;
    private readonly ServedRun _run;
    private KestrelHost _host = null!;
    private string _documentRoot = string.Empty;
    private byte[]? _transparentTile;

    private RunFolderServer(string root, ServedRun run)
    {
        _root = root;
        _run = run;
    }

    /// <summary>Root URL, e.g. <c>http://127.0.0.1:5123/</c> (ends with a slash).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Requests served so far: path and status code, in order (for the console and tests).</summary>
    public IReadOnlyCollection<(string Path, int Status)> Log => _log;

    /// <summary>Called after each request with its path and status (e.g. to print it); may be null.</summary>
    public Action<string, int>? OnRequest { get; init; }

    /// <summary>Starts serving <paramref name="folder"/>.</summary>
    /// <param name="folder">An output folder of <c>urbanscore score</c> (must contain index.html or scores.sqlite).</param>
    /// <param name="address">Address to bind; <see cref="IPAddress.Loopback"/> unless the user asked otherwise.</param>
    /// <param name="port">TCP port, 0 for a free one.</param>
    /// <param name="onRequest">Called after each request (path, status), or null.</param>
    /// <param name="publicUri">
    /// The address clients reach the server at (a proxy's, or a host name for <c>--bind 0.0.0.0</c>), written into
    /// tilejson.json and heatmap-wmts.xml; null = the bound address.
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="UrbanScoreException">The folder is not an output folder, or the port cannot be bound.</exception>
    public static async Task<RunFolderServer> StartAsync(string folder, IPAddress address, int port = 0, Action<string, int>? onRequest = null, Uri? publicUri = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var root = Path.GetFullPath(folder);
        if (!File.Exists(Path.Combine(root, ViewerWriter.FileName)) && !File.Exists(Path.Combine(root, Storage.ScoreStore.FileName)))
        {
            throw new UrbanScoreException($"{folder} is not an UrbanScore output folder (no index.html or scores.sqlite); pass the --out folder of a run.");
        }

        if (publicUri is not null && (!publicUri.IsAbsoluteUri || (publicUri.Scheme != Uri.UriSchemeHttp && publicUri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new UrbanScoreException($"--public-url '{publicUri}' is not an absolute http(s) URL; give the address clients use, e.g. http://maps.example.org:8080/.");
        }

        var server = new RunFolderServer(root, ServedRun.Load(root)) { OnRequest = onRequest };
        server._host = await KestrelHost.StartAsync(address, port, server.HandleAsync, "The run-folder server", cancellationToken).ConfigureAwait(false);
        server.BaseUri = server._host.BaseUri;
        var documentRoot = (publicUri ?? server.BaseUri).AbsoluteUri;
        server._documentRoot = documentRoot.EndsWith('/') ? documentRoot : documentRoot + "/";
        return server;
    }

    /// <summary>Stops the server and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The file a URL path maps to, or null: only regular files under the root whose every segment is a plain name
    /// (no empty, "." or ".." segment, no dot-file, no backslash or colon), reached without symbolic links, and whose
    /// extension is a product's.
    /// </summary>
    internal string? Resolve(string urlPath)
    {
        var relative = urlPath.TrimStart('/');
        if (relative.Length == 0)
        {
            relative = ViewerWriter.FileName;
        }

        var segments = relative.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment[0] == '.' || segment.AsSpan().IndexOfAny("\\:\0") >= 0)
            {
                return null;
            }
        }

        if (!s_contentTypes.ContainsKey(Path.GetExtension(relative)))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(_root, Path.Combine(segments)));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null;
        }

        var info = new FileInfo(full);
        if (!info.Exists || (info.Attributes & (FileAttributes.Directory | FileAttributes.ReparsePoint)) != 0)
        {
            return null;
        }

        // A symlinked folder inside the run folder could lead outside it: refuse any link on the way.
        for (var folder = info.Directory; folder is not null && folder.FullName.Length > _root.Length; folder = folder.Parent)
        {
            if (folder.LinkTarget is not null)
            {
                return null;
            }
        }

        return full;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        try
        {
            await ServeAsync(context, path).ConfigureAwait(false);
        }
        finally
        {
            _log.Enqueue((path, context.Response.StatusCode));
            OnRequest?.Invoke(path, context.Response.StatusCode);
        }
    }

    private async Task ServeAsync(HttpContext context, string path)
    {
        var response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.AccessControlAllowOrigin = "*";
        var tile = TilePath(path, HeatmapTileWriter.FolderName, ".png");
        if (tile is { } heatmapTile && !_run.HasHeatmapTile(heatmapTile))
        {
            await NotFoundAsync(response, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (_run.DemoWorld is { } world && TilePath(path, ServedRun.DemoWorldFolder, ".jpg") is { } imageryTile)
        {
            if (!DemoWorld.DemoWorldRenderer.Contains(imageryTile))
            {
                await NotFoundAsync(response, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            var jpeg = world.RenderJpeg(imageryTile);
            response.ContentType = "image/jpeg";
            response.Headers.CacheControl = "public, max-age=86400";
            response.ContentLength = jpeg.Length;
            await response.Body.WriteAsync(jpeg, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var file = Resolve(path);
        if (file is null)
        {
            if (tile is not null)
            {
                // Leaflet, QGIS and GDAL ask for every tile in view; absent tiles inside the matrix are simply transparent.
                _transparentTile ??= HeatmapTileWriter.TransparentPng(256, 256);
                response.ContentType = "image/png";
                await response.Body.WriteAsync(_transparentTile, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await NotFoundAsync(response, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var name = Path.GetFileName(file);
        response.ContentType = s_contentTypes[Path.GetExtension(file)];
        if (name is HeatmapLayerDocuments.TileJsonFileName or HeatmapLayerDocuments.WmtsFileName)
        {
            var text = await File.ReadAllTextAsync(file, context.RequestAborted).ConfigureAwait(false);
            await response.WriteAsync(HeatmapLayerDocuments.Rebase(text, _documentRoot), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await Results.File(file, response.ContentType, enableRangeProcessing: true).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static Task NotFoundAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status404NotFound;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync("Not found.", cancellationToken);
    }

    /// <summary>The tile of <c>/{folder}/{z}/{x}/{y}{extension}</c> (plain decimal numbers), or null for any other path.</summary>
    private static TileIndex? TilePath(string path, string folder, string extension)
    {
        var parts = path.Trim('/').Split('/');
        return parts.Length == 4 && parts[0] == folder
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var z)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var x)
            && parts[3].EndsWith(extension, StringComparison.Ordinal)
            && int.TryParse(parts[3].AsSpan(0, parts[3].Length - extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            ? new TileIndex(Zoom: z, Col: x, Row: y)
            : null;
    }
}
