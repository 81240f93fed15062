using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace UrbanScore.Tools.Hosting;

/// <summary>
/// A minimal Kestrel server with one request handler, shared by the demo world, the run-folder and the benchmark
/// servers: no middleware, no Server header, one listener. Owns the web application; dispose to stop it and free the port.
/// </summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="port"/> (0 = a free port).</summary>
    /// <param name="address">Interface to bind (loopback unless the user asked otherwise).</param>
    /// <param name="port">TCP port, 0 for an ephemeral one.</param>
    /// <param name="handler">Answers every request.</param>
    /// <param name="name">What is listening, for the error message ("The demo world server").</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="inline">
    /// Run the handler on the socket thread that read the request (Kestrel's <c>UnsafePreferInlineScheduling</c>), not
    /// on a thread-pool thread: only for a handler that never blocks, as the bench tile server's copy of bytes held in
    /// memory.
    /// </param>
    /// <exception cref="UrbanScoreException">The port is taken or cannot be bound.</exception>
    public static async Task<KestrelHost> StartAsync(IPAddress address, int port, RequestDelegate handler, string name, CancellationToken cancellationToken, bool inline = false)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        if (inline)
        {
            builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        }

        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(address, port);
            options.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"{name} cannot listen on {address}:{port} ({ex.Message}); choose another --port or 0 for a free one."), ex);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelHost(app, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <summary>Stops the server and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
