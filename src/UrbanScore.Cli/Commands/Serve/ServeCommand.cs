using System.CommandLine;
using System.Globalization;
using UrbanScore.Rendering;
using UrbanScore.Tools.Cities;
using UrbanScore.Tools.DemoWorld;
using UrbanScore.Tools.Hosting;

namespace UrbanScore.Cli.Commands.Serve;

/// <summary>
/// <c>urbanscore serve &lt;out&gt; [--port P] [--bind ADDR]</c>: serves a run's output folder (viewer, heatmap as XYZ and
/// WMTS, products); <c>urbanscore serve --demo-world [--port P]</c>: serves the synthetic demo world as WMTS and XYZ.
/// </summary>
internal static class ServeCommand
{
    private static readonly Option<bool> s_demoWorld = new("--demo-world")
    {
        Description = "Serve the built-in synthetic demo world (WMTS 1.0.0 and XYZ, JPEG tiles).",
    };

    private static readonly Option<int> s_port = new("--port")
    {
        Description = "TCP port on 127.0.0.1; 0 picks a free one.",
        DefaultValueFactory = _ => 0,
    };

    private static readonly Argument<string?> s_folder = new("out")
    {
        Description = "Output folder of a run to serve (viewer at /, heatmap as XYZ and WMTS).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string> s_bind = new("--bind")
    {
        Description = "Address to listen on for <out> (default 127.0.0.1; anything else exposes the folder to the network).",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    private static readonly Option<string?> s_publicUrl = new("--public-url")
    {
        Description = "Address clients reach <out> at (behind a proxy, or with --bind 0.0.0.0), written into tilejson.json and heatmap-wmts.xml; default: the bound address. The request's Host header is never used.",
    };

    public static Command Create(CliContext context)
    {
        var command = new Command("serve", "Serve a run's output folder, or the demo world, over HTTP on 127.0.0.1 until Ctrl+C.");
        command.Arguments.Add(s_folder);
        command.Options.Add(s_demoWorld);
        command.Options.Add(s_port);
        command.Options.Add(s_bind);
        command.Options.Add(s_publicUrl);
        command.SetAction((parseResult, cancellationToken) => parseResult.GetValue(s_folder) is { } folder
            ? ServeFolderAsync(context, folder, parseResult.GetValue(s_bind)!, parseResult.GetValue(s_port), parseResult.GetValue(s_publicUrl), cancellationToken)
            : RunAsync(context, parseResult.GetValue(s_demoWorld), parseResult.GetValue(s_port), cancellationToken));
        return command;
    }

    private static async Task<int> ServeFolderAsync(CliContext context, string folder, string bind, int port, string? publicUrl, CancellationToken cancellationToken)
    {
        Uri? publicUri = null;
        if (publicUrl is not null && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out publicUri) || (publicUri.Scheme != Uri.UriSchemeHttp && publicUri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new UrbanScoreException($"--public-url '{publicUrl}' is not an absolute http(s) URL; give the address clients use, e.g. http://maps.example.org:8080/.");
        }

        CheckPort(port);

        var address = await ListenAddress.ParseAsync(bind, "read " + folder, context.Error).ConfigureAwait(false);

        var output = TextWriter.Synchronized(context.Out);
        await using var server = await RunFolderServer.StartAsync(folder, address, port, (path, status) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET {path} {status}")), publicUri, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"viewer:            {server.BaseUri}").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"heatmap XYZ:       {server.BaseUri}heatmap/{{z}}/{{x}}/{{y}}.png").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"heatmap WMTS:      {server.BaseUri}heatmap-wmts.xml").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"TileJSON:          {server.BaseUri}tilejson.json").ConfigureAwait(false);
        return await ServeUntilStoppedAsync(context, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(CliContext context, bool demoWorld, int port, CancellationToken cancellationToken)
    {
        if (!demoWorld)
        {
            throw new UrbanScoreException("Nothing to serve; pass an output folder (urbanscore serve OUT) or --demo-world for the built-in synthetic demo world.");
        }

        CheckPort(port);

        await using var server = await DemoWorldServer.StartAsync(port, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync("UrbanScore demo world: SYNTHETIC imagery, not a map of the real world.").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"WMTS capabilities: {server.CapabilitiesUri}").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"WMTS KVP:          {server.BaseUri}wmts?SERVICE=WMTS&REQUEST=GetCapabilities").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"XYZ tiles:         {server.XyzTemplate}").ConfigureAwait(false);
        await context.Out.WriteLineAsync(CityCatalog.Attribution).ConfigureAwait(false);
        return await ServeUntilStoppedAsync(context, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckPort(int port)
    {
        if (port is < 0 or > 65535)
        {
            throw new UrbanScoreException($"--port {port} is not a TCP port; use 1..65535, or 0 for a free one.");
        }
    }

    /// <summary>Tells the user how to stop, waits for Ctrl+C (the normal way to stop a server) and says so.</summary>
    private static async Task<int> ServeUntilStoppedAsync(CliContext context, CancellationToken cancellationToken)
    {
        await context.Out.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C is the normal way to stop a server.
        }

        await context.Out.WriteLineAsync("stopped.").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
