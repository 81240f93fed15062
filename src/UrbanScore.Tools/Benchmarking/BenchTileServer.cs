using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using UrbanScore.Tools.Hosting;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>
/// A tile server for benchmarks: Kestrel (on 127.0.0.1 unless told otherwise) answering <c>/tiles/{z}/{x}/{y}.jpg</c> with one of a fixed set
/// of JPEG byte arrays held in memory (chosen by a hash of x and y, so neighbours differ), after an optional fixed
/// latency. Serving costs a memory copy, so what a benchmark measures is the client. The handler runs on the socket
/// thread that read the request (no thread-pool hop): it stands in for a server on another machine, so it should take
/// as little as it can of the cores it shares with the client. Measured against a default-model <c>score</c> (2 cores,
/// <c>perf stat</c> on this server over 10 s): 62 → 34 µs of CPU and 2.3 → 0.64 context switches per tile served
/// (docs/performance.md). The caller owns the instance and stops the server by disposing it.
/// </summary>
public sealed class BenchTileServer : IAsyncDisposable
{
    private KestrelHost _host = null!;
    private readonly IReadOnlyList<byte[]> _tiles;
    private readonly TimeSpan _latency;
    private long _requests;

    private BenchTileServer(IReadOnlyList<byte[]> tiles, TimeSpan latency)
    {
        _tiles = tiles;
        _latency = latency;
    }

    /// <summary>XYZ URL template with <c>{z}</c>, <c>{x}</c> and <c>{y}</c> placeholders.</summary>
    public string XyzTemplate { get; private set; } = string.Empty;

    /// <summary>Tile requests answered so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Starts the server on 127.0.0.1.</summary>
    /// <param name="tiles">Encoded tiles to serve (borrowed, never modified).</param>
    /// <param name="latency">Delay before each tile response.</param>
    /// <param name="port">TCP port, 0 for a free ephemeral one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    public static Task<BenchTileServer> StartAsync(IReadOnlyList<byte[]> tiles, TimeSpan latency, int port = 0, CancellationToken cancellationToken = default) =>
        StartAsync(tiles, latency, IPAddress.Loopback, port, cancellationToken);

    /// <summary>Starts the server on <paramref name="address"/> (another machine's <c>bench --server</c> needs more than loopback).</summary>
    /// <param name="tiles">Encoded tiles to serve (borrowed, never modified).</param>
    /// <param name="latency">Delay before each tile response.</param>
    /// <param name="address">Interface to listen on.</param>
    /// <param name="port">TCP port, 0 for a free ephemeral one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    public static async Task<BenchTileServer> StartAsync(IReadOnlyList<byte[]> tiles, TimeSpan latency, IPAddress address, int port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfZero(tiles.Count);
        var server = new BenchTileServer(tiles, latency);
        server._host = await KestrelHost.StartAsync(address, port, server.HandleAsync, "The benchmark tile server", cancellationToken, inline: true).ConfigureAwait(false);
        server.XyzTemplate = TemplateAt(server._host.BaseUri);
        return server;
    }

    /// <summary>
    /// The XYZ template of a bench tile server at <paramref name="server"/>: the address itself when it already is one
    /// (what <c>bench --serve</c> prints), else its <c>tiles/{z}/{x}/{y}.jpg</c> under the address.
    /// </summary>
    /// <param name="server">An absolute http(s) address, e.g. <c>http://10.0.0.5:8090/</c>.</param>
    public static string TemplateAt(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var text = server.OriginalString;
        return text.Contains("{z}", StringComparison.Ordinal) ? text : text.TrimEnd('/') + "/tiles/{z}/{x}/{y}.jpg";
    }

    /// <summary>The tile served for column <paramref name="x"/> and row <paramref name="y"/>.</summary>
    public byte[] TileFor(int x, int y) => TileFor(_tiles, x, y);

    /// <summary>
    /// The tile of <paramref name="tiles"/> that any bench tile server serving them answers for column
    /// <paramref name="x"/> and row <paramref name="y"/> (a hash of both, so neighbours differ).
    /// </summary>
    public static byte[] TileFor(IReadOnlyList<byte[]> tiles, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        return tiles[(int)((uint)((x * 73856093) ^ (y * 19349663)) % (uint)tiles.Count)];
    }

    /// <summary>Stops the server and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        // /tiles/{z}/{x}/{y}.jpg
        var segments = (context.Request.Path.Value ?? string.Empty).Trim('/').Split('/');
        if (segments is not ["tiles", _, var xText, var yText] || !yText.EndsWith(".jpg", StringComparison.Ordinal)
            || !int.TryParse(xText, NumberStyles.None, CultureInfo.InvariantCulture, out var x)
            || !int.TryParse(yText.AsSpan(0, yText.Length - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (_latency > TimeSpan.Zero)
        {
            await Task.Delay(_latency, context.RequestAborted).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _requests);
        var bytes = TileFor(x, y);
        context.Response.ContentType = "image/jpeg";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
