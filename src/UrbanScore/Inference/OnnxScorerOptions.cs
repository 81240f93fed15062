namespace UrbanScore.Inference;

/// <summary>How <see cref="OnnxTileScorer"/> runs a model. Validated by the scorer's constructor.</summary>
public sealed class OnnxScorerOptions
{
    /// <summary>Default <see cref="BatchSize"/>: images per <see cref="ITileScorer.Score"/> call.</summary>
    public const int DefaultBatchSize = 16;

    /// <summary>Execution provider: <see cref="ExecutionDevice.Cpu"/> (default) or CUDA (GPU build only).</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>
    /// Largest batch one <see cref="ITileScorer.Score"/> call takes (becomes <see cref="ITileScorer.MaxBatchSize"/>).
    /// Dynamic-batch models run it as one tensor; fixed-batch models run it as concurrent <c>Run</c> calls.
    /// </summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>
    /// ONNX Runtime intra-op threads per <c>Run</c>; 0 (default) = ORT's default (physical cores) for dynamic-batch
    /// models, and cores ÷ <see cref="ConcurrentRuns"/> for fixed-batch models. Size it against the decode workers.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Concurrent <c>Run</c> calls on the session for fixed-batch models; 0 (default) = min(<see cref="BatchSize"/>,
    /// processor count). Ignored for dynamic-batch models, which run one tensor per call.
    /// </summary>
    public int ConcurrentRuns { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's idle intra-op threads spin waiting for work; null (default) = off when several
    /// <c>Run</c>s overlap, else ORT's default (on). Turn it off when decode workers share the cores with inference,
    /// so a spinning thread does not take a core from decoding (measured in docs/performance.md).
    /// </summary>
    public bool? AllowSpinning { get; init; }

    /// <summary>
    /// Optional file for ONNX Runtime's optimised graph: written on the first load and loaded instead of the model
    /// while it is newer than the model (ONNX Runtime's "offline" graph optimisation, SessionOptions.OptimizedModelFilePath). Only valid on the same machine
    /// and ONNX Runtime version; delete it after upgrading.
    /// </summary>
    public string? OptimizedModelCachePath { get; init; }
}
