using Microsoft.ML.OnnxRuntime;

namespace UrbanScore.Cli;

/// <summary>
/// Loads ONNX Runtime (its native library and the process-wide environment: 70–90 ms on the 2-core reference machine)
/// on a thread of its own from the first line of <c>Main</c>, for the commands that open a model. They parse their
/// arguments, set up logging and open the tile source meanwhile; the model's inspection, the first code to need the
/// environment, then finds it ready or waits for the rest of it (<see cref="OrtEnv.Instance"/> is a thread-safe lazy
/// singleton that also rethrows a failure to whoever asks next). benchmarks/results/2026-11-30-fixed-costs.md.
/// </summary>
internal static class RuntimePreload
{
    /// <summary>The commands that open a model (a test checks each is a command of the tool).</summary>
    internal static readonly IReadOnlySet<string> ModelCommands = new HashSet<string>(StringComparer.Ordinal) { "score", "demo", "classify", "inspect-model", "bench" };

    private static Task? s_loading;

    /// <summary>Starts loading when the command opens a model (<see cref="OpensModel"/>).</summary>
    public static void Start(string[] args)
    {
        if (OpensModel(args))
        {
            // A thread of its own: a pool thread held here would be one fewer for the start-up's HTTP continuations.
            s_loading = Task.Factory.StartNew(static () => OrtEnv.Instance(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>Whether the command line's command (its first argument) opens a model.</summary>
    public static bool OpensModel(string[] args) => args.Length > 0 && ModelCommands.Contains(args[0]);

    /// <summary>
    /// Waits for the loading to end before the process exits (a command that failed fast, or printed its help, may end
    /// sooner): exiting while another thread is inside the native library's initialisation would run its static
    /// destructors under it. A failure is not reported here: the command that needed the model has reported it.
    /// </summary>
    public static void Finish()
    {
        try
        {
            s_loading?.Wait();
        }
        catch (AggregateException)
        {
        }
    }
}
