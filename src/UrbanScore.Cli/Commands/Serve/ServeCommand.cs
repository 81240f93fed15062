using System.CommandLine;
using UrbanScore.Cities;
using UrbanScore.DemoWorld;

namespace UrbanScore.Cli.Commands.Serve;

/// <summary><c>urbanscore serve --demo-world [--port P]</c>: serves the synthetic demo world as WMTS and XYZ on 127.0.0.1.</summary>
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

    public static Command Create(CliContext context)
    {
        var command = new Command("serve", "Serve tiles over HTTP on 127.0.0.1 until Ctrl+C.");
        command.Options.Add(s_demoWorld);
        command.Options.Add(s_port);
        command.SetAction((parseResult, cancellationToken) => RunAsync(context, parseResult.GetValue(s_demoWorld), parseResult.GetValue(s_port), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, bool demoWorld, int port, CancellationToken cancellationToken)
    {
        if (!demoWorld)
        {
            throw new UrbanScoreException("Nothing to serve; add --demo-world to serve the built-in synthetic demo world.");
        }

        if (port is < 0 or > 65535)
        {
            throw new UrbanScoreException($"--port {port} is not a TCP port; use 1..65535, or 0 for a free one.");
        }

        await using var server = await DemoWorldServer.StartAsync(port, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync("UrbanScore demo world: SYNTHETIC imagery, not a map of the real world.").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"WMTS capabilities: {server.CapabilitiesUri}").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"WMTS KVP:          {server.BaseUri}wmts?SERVICE=WMTS&REQUEST=GetCapabilities").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"XYZ tiles:         {server.XyzTemplate}").ConfigureAwait(false);
        await context.Out.WriteLineAsync(CityCatalog.Attribution).ConfigureAwait(false);
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
