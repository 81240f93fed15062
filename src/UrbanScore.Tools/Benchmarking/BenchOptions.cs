using UrbanScore.Inference;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>What <see cref="BenchRunner"/> measures and with which settings. Zero means "choose automatically"
/// (<see cref="Pipeline.PipelineTuning"/>).</summary>
public sealed class BenchOptions
{
    /// <summary>The ONNX model (a Custom Vision export).</summary>
    public required string ModelPath { get; init; }

    /// <summary>labels.txt for models without embedded labels, or null for the file beside the model.</summary>
    public string? LabelsPath { get; init; }

    /// <summary>
    /// Tiles scored by each end-to-end run; 0 = as many as the per-core limit and fetching, one after the other, score
    /// in <see cref="BenchRunner.RoundStages"/> × <see cref="StageSeconds"/> (9 s by default), and at least
    /// <see cref="BenchRunner.MinimumRoundTiles"/>.
    /// </summary>
    public int Tiles { get; init; }

    /// <summary>
    /// End-to-end runs, each followed by a measurement of the per-core limit; the efficiency is the median of their
    /// ratios. Three by default: one round's ratio moves by ±5 % on a shared 2-core machine.
    /// </summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Images per inference call; 0 = automatic.</summary>
    public int BatchSize { get; init; }

    /// <summary>Decode workers; 0 = automatic.</summary>
    public int Threads { get; init; }

    /// <summary>ONNX Runtime intra-op threads; 0 = automatic.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>HTTP requests in flight; 0 = sized from the observed latency.</summary>
    public int FetchConcurrency { get; init; }

    /// <summary>Latency the bench tile server adds to every response, in milliseconds (simulates a remote server).</summary>
    public int LatencyMs { get; init; }

    /// <summary>Execution provider.</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>
    /// Seconds each isolated stage (decode, inference) is measured for, after a warm-up; each measurement of the
    /// per-core limit lasts half of it.
    /// </summary>
    public double StageSeconds { get; init; } = 3;

    /// <summary>Encoded tiles served (JPEG files), or null to render <see cref="DistinctTiles"/> demo-world tiles.</summary>
    public IReadOnlyList<string>? ImageFiles { get; init; }

    /// <summary>Distinct demo-world tiles rendered and served in rotation.</summary>
    public int DistinctTiles { get; init; } = 64;

    /// <summary>Label whose probability is the score, or null for "city" when the model has it, else its first label.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>
    /// A running <c>urbanscore bench --serve</c> (with the same tiles: the same <c>--images</c>, or none) to fetch from
    /// instead of an in-process server, or null. Its CPU is then not this process's; on another machine it is not these
    /// cores' either, so the end-to-end rate is the pipeline's alone. The address <c>--serve</c> printed (its tile
    /// template), or just <c>http://host:port/</c>.
    /// </summary>
    public string? Server { get; init; }

    /// <summary>
    /// Hands the end-to-end rounds' tiles over from memory (the bytes the tile server answers, in pooled buffers as
    /// fetched ones are) instead of fetching them: the same job, sinks and all, without the HTTP client and the tile
    /// server. Set against a run without it, what fetching costs the pipeline. The probe and the fetch stage still use
    /// the server.
    /// </summary>
    public bool FromMemory { get; init; }

    /// <summary>Folder for the end-to-end run's outputs, or null for a temporary folder deleted afterwards.</summary>
    public string? OutputFolder { get; init; }
}
