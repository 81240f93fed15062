namespace UrbanScore.Tools.Hosting;

/// <summary>
/// Where .NET runs socket completions: on the socket engine's own threads ("inline",
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>) or, by default, handed to the thread pool. The runtime reads
/// the variable when the process first uses a socket, so <see cref="Apply"/> runs from the first line of <c>Main</c>,
/// and only for the commands whose hot path is fetching tiles for the pipeline. With the default, each response's
/// continuation is one more thread-pool work item: a wake-up, and a worker that spins before it sleeps again, on the
/// cores the compute workers need. Inline, .NET runs one socket thread per core, so they are never the bottleneck.
/// Measured with <c>bench</c> on 2 cores, alternating runs (benchmarks/results/2026-12-01-inline-sockets.md). Safe here
/// because nothing on the fetch path blocks a thread: disk-cache writes are asynchronous file I/O (on the pool), and
/// Kestrel (the demo world and bench servers) still runs request handlers on the pool. A value the user set, either
/// way, is kept.
/// </summary>
public static class SocketCompletions
{
    /// <summary>The .NET runtime's switch (System.Net.Sockets, SocketAsyncEngine on Unix).</summary>
    public const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The commands whose hot path is fetching tiles for the pipeline.</summary>
    public static IReadOnlySet<string> PipelineCommands { get; } = new HashSet<string>(StringComparer.Ordinal) { "score", "demo", "bench" };

    /// <summary>Whether this process runs socket completions inline (as the runtime will read the switch).</summary>
    public static bool Inline => Environment.GetEnvironmentVariable(InlineVariable) == "1";

    /// <summary>Turns inline completions on for a pipeline command, unless the environment already sets the switch.</summary>
    /// <param name="args">The command line.</param>
    public static void Apply(string[] args)
    {
        if (ValueFor(args, Environment.GetEnvironmentVariable(InlineVariable)) is { } value)
        {
            Environment.SetEnvironmentVariable(InlineVariable, value);
        }
    }

    /// <summary>The switch's value to set for <paramref name="args"/>, or null to leave the environment as it is.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="current">The switch's value in the environment, or null when unset.</param>
    /// <returns>"1", or null.</returns>
    public static string? ValueFor(string[] args, string? current)
    {
        ArgumentNullException.ThrowIfNull(args);
        return current is null && args.Length > 0 && PipelineCommands.Contains(args[0]) ? "1" : null;
    }
}
