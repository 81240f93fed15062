using System.Net;

namespace UrbanScore.Cli.Commands;

/// <summary>The <c>--bind</c> value of the commands that listen (<c>serve</c>, <c>bench --serve</c>): parsed, and a
/// warning when it reaches beyond this machine.</summary>
internal static class ListenAddress
{
    /// <summary>Parses <paramref name="bind"/>; warns on <paramref name="error"/> when it is not a loopback address.</summary>
    /// <param name="bind">The option's value.</param>
    /// <param name="exposed">What anyone who can reach the machine then gets, e.g. "read runs/demo".</param>
    /// <param name="error">Where the warning goes.</param>
    /// <exception cref="UrbanScoreException">The value is not an IP address.</exception>
    public static async Task<IPAddress> ParseAsync(string bind, string exposed, TextWriter error)
    {
        if (!IPAddress.TryParse(bind, out var address))
        {
            throw new UrbanScoreException($"--bind '{bind}' is not an IP address; use 127.0.0.1 (the default) or an address of this machine.");
        }

        if (!IPAddress.IsLoopback(address))
        {
            await error.WriteLineAsync($"warning: listening on {address}, so anyone who can reach this machine can {exposed}; use --bind 127.0.0.1 to keep it local.").ConfigureAwait(false);
        }

        return address;
    }
}
