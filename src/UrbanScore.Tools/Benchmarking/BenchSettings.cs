namespace UrbanScore.Tools.Benchmarking;

/// <summary>The settings a bench used (chosen automatically unless given).</summary>
/// <param name="Model">Model file.</param>
/// <param name="ModelBatch">"dynamic" or the model's fixed batch size.</param>
/// <param name="Device">Execution provider.</param>
/// <param name="Tiles">Tiles in the end-to-end run.</param>
/// <param name="DistinctTiles">Distinct encoded tiles served.</param>
/// <param name="MeanTileBytes">Mean size of a served tile, in bytes.</param>
/// <param name="BatchSize">Images per inference call.</param>
/// <param name="DecodeWorkers">Decode workers.</param>
/// <param name="IntraOpThreads">ONNX Runtime intra-op threads per <c>Run</c>.</param>
/// <param name="ConcurrentRuns">Concurrent <c>Run</c> calls per batch (fixed-batch models), else 1.</param>
/// <param name="FetchConcurrency">HTTP requests in flight.</param>
/// <param name="LatencyMs">Latency added by the tile server, in milliseconds.</param>
/// <param name="ProbedLatencyMs">Median request latency observed before the run, in milliseconds.</param>
/// <param name="Server">Where the end-to-end tiles came from: "in process", the address of a <c>bench --serve</c>, or
/// "memory" (<see cref="BenchOptions.FromMemory"/>).</param>
/// <param name="SocketCompletions">Where socket completions ran: "inline" (on the socket threads) or "thread pool"
/// (<see cref="Hosting.SocketCompletions"/>).</param>
/// <param name="Automatic">Which of the settings were chosen automatically.</param>
public sealed record BenchSettings(
    string Model,
    string ModelBatch,
    string Device,
    int Tiles,
    int DistinctTiles,
    int MeanTileBytes,
    int BatchSize,
    int DecodeWorkers,
    int IntraOpThreads,
    int ConcurrentRuns,
    int FetchConcurrency,
    int LatencyMs,
    double ProbedLatencyMs,
    string Server,
    string SocketCompletions,
    IReadOnlyList<string> Automatic);
