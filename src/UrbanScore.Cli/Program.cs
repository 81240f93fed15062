using System.Runtime.InteropServices;
using UrbanScore.Cli;
using UrbanScore.Tools.Hosting;

SocketCompletions.Apply(args); // before anything opens a socket
RuntimePreload.Start(args);
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop cleanly (flush what is scored, exit 130). A second one kills the process.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        Stop();
    }
};

// SIGTERM (docker stop, systemd, kill) stops as cleanly as Ctrl+C does; a second one terminates at once.
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    if (!cancellation.IsCancellationRequested)
    {
        signal.Cancel = true;
        Stop();
    }
});

var context = new CliContext(Console.Out, Console.Error, IsInteractive: !Console.IsOutputRedirected) { CommandName = Invocation.Describe() };
try
{
    return await UrbanScoreCli.RunAsync(args, context, cancellation.Token).ConfigureAwait(false);
}
#pragma warning disable CA1031 // The last line of defence: an unexpected error becomes exit 1 with one line, no stack trace unless asked.
catch (Exception ex)
#pragma warning restore CA1031
{
    await Console.Error.WriteLineAsync($"error: unexpected {ex.GetType().Name}: {ex.Message} (set URBANSCORE_DEBUG=1 for the stack trace)").ConfigureAwait(false);
    if (Environment.GetEnvironmentVariable("URBANSCORE_DEBUG") == "1")
    {
        await Console.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
    }

    return 1;
}
finally
{
    RuntimePreload.Finish();
}

// The token's callbacks (HTTP, Kestrel, channels) run on the thread pool, not on the signal's thread: one that throws
// while shutting down must not turn a clean stop into a crash. A signal after the command ended has nothing to stop.
void Stop()
{
    try
    {
        _ = cancellation.CancelAsync();
    }
    catch (ObjectDisposedException)
    {
    }
}
