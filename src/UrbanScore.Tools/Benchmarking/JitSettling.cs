using System.Diagnostics;
using System.Runtime;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>
/// Waits for the JIT to go quiet before a stage is measured. With tiered compilation (any build that is not a
/// ReadyToRun publish), a method is first compiled quickly; once it has been called 30 times, after 100 ms without new
/// quickly-compiled code, it is compiled again, optimised, on a background thread. A stage measured while that runs pays
/// for compiling code, and one measured before it runs the slow code: in three runs the per-core limit measured right
/// after the end-to-end job was 10–23 % below the same limit measured before it, and within 2 % with tiering off.
/// So each stage warms up twice with a wait for quiet after each round: the first round compiles its code, the
/// second calls it often enough to be promoted, and the wait lets the promotions finish.
/// </summary>
internal static class JitSettling
{
    /// <summary>How long the count of compiled methods must stay still: above the runtime's 100 ms call-counting delay.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest wait: a process that keeps compiling (a busy machine) is measured anyway.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(5);

    /// <summary>Rounds of warm-up before a measurement, each followed by <see cref="Wait"/>.</summary>
    public const int WarmUpRounds = 2;

    /// <summary>Blocks until no method has been compiled for <see cref="Quiet"/> (at most <see cref="Longest"/>).</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static void Wait(CancellationToken cancellationToken)
    {
        var watch = new QuietWatch();
        while (!watch.Settled())
        {
            cancellationToken.WaitHandle.WaitOne(Poll);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Waits, without blocking a thread, until no method has been compiled for <see cref="Quiet"/> (at most <see cref="Longest"/>).</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task WaitAsync(CancellationToken cancellationToken)
    {
        var watch = new QuietWatch();
        while (!watch.Settled())
        {
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The process's count of compiled methods, and how long it has stayed still.</summary>
    private sealed class QuietWatch
    {
        private readonly Stopwatch _waited = Stopwatch.StartNew();
        private readonly Stopwatch _still = Stopwatch.StartNew();
        private long _count = JitInfo.GetCompiledMethodCount();

        public bool Settled()
        {
            var now = JitInfo.GetCompiledMethodCount();
            if (now != _count)
            {
                _count = now;
                _still.Restart();
            }

            return _still.Elapsed >= Quiet || _waited.Elapsed >= Longest;
        }
    }
}
