using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace UrbanScore.Tests.TestSupport;

/// <summary>
/// A real HTTP server (Kestrel) on 127.0.0.1 with an ephemeral port, for tests. Bounded: it answers at most
/// <c>maxRequests</c> requests (then 503) and stops by itself after <c>lifetime</c>. Logs every request with its time.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _lifetime;
    private int _requests;

    private LoopbackServer(WebApplication app, CancellationTokenSource lifetime)
    {
        _app = app;
        _lifetime = lifetime;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Every request received: path+query and arrival time.</summary>
    public ConcurrentQueue<(string PathAndQuery, DateTimeOffset At)> Log { get; } = new();

    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, Task> handler, int maxRequests = 100_000, TimeSpan? lifetime = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var cts = new CancellationTokenSource(lifetime ?? TimeSpan.FromMinutes(5));
        var server = new LoopbackServer(app, cts);
        app.Run(async context =>
        {
            server.Log.Enqueue((context.Request.Path + context.Request.QueryString, DateTimeOffset.UtcNow));
            if (Interlocked.Increment(ref server._requests) > maxRequests)
            {
                context.Response.StatusCode = 503;
                return;
            }

            await handler(context);
        });
        await app.StartAsync(cts.Token);
        var address = app.Services.GetService(typeof(IServer)) is IServer s ? s.Features.Get<IServerAddressesFeature>()!.Addresses.First() : throw new InvalidOperationException();
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        cts.Token.Register(() => _ = app.StopAsync());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _lifetime.Dispose();
    }
}
