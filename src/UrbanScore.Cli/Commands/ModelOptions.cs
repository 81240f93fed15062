using System.CommandLine;
using UrbanScore.Inference;
using UrbanScore.Pipeline;
using UrbanScore.Sources;

namespace UrbanScore.Cli.Commands;

/// <summary>Options that choose and tune the model.</summary>
internal sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model") { Description = "Custom Vision ONNX export (model.onnx).", Required = true };

    public Option<string?> Labels { get; } = new("--labels") { Description = "labels.txt for models whose labels are not inside (default: beside the model)." };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Tiles per inference call (0 = chosen from the model and machine)." };

    public Option<int> Threads { get; } = new("--threads") { Description = "Decode workers (0 = one per core)." };

    public Option<string> Device { get; } = new("--device") { Description = "cpu, or cuda[:id] on a GPU build.", DefaultValueFactory = _ => "cpu" };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Labels);
        command.Options.Add(BatchSize);
        command.Options.Add(Threads);
        command.Options.Add(Device);
    }

    public string ModelPath(ParseResult parseResult) => parseResult.GetValue(Model)!;

    public ITileScorer Open(ParseResult parseResult)
    {
        var path = ModelPath(parseResult);
        if (!File.Exists(path))
        {
            throw new UrbanScoreException($"The model file {path} does not exist; pass the path of a Custom Vision ONNX export with --model.");
        }

        var batch = parseResult.GetValue(BatchSize);
        if (batch is < 0 or > 4096)
        {
            throw new UrbanScoreException("--batch-size must be between 1 and 4096 (0 = automatic).");
        }

        var info = ModelInspector.Inspect(path, parseResult.GetValue(Labels));
        return new OnnxTileScorer(info, ScorerOptions(info, ExecutionDevice.Parse(parseResult.GetValue(Device)!), batch));
    }

    /// <summary>Scorer options tuned for this machine and model (docs/performance.md); an explicit batch size wins.</summary>
    public static OnnxScorerOptions ScorerOptions(ModelInfo info, ExecutionDevice device, int batchSize)
    {
        var cores = Environment.ProcessorCount;
        return new OnnxScorerOptions
        {
            Device = device,
            BatchSize = batchSize > 0 ? batchSize : PipelineTuning.BatchSize(cores, info.FixedBatchSize),
            IntraOpThreads = PipelineTuning.IntraOpThreads(cores, info.FixedBatchSize),
            ConcurrentRuns = PipelineTuning.ConcurrentRuns,
            AllowSpinning = false,
        };
    }

    public PipelineOptions PipelineOptions(ParseResult parseResult, HttpFetchOptions http)
    {
        var threads = parseResult.GetValue(Threads);
        return new PipelineOptions
        {
            DecodeWorkers = threads > 0 ? threads : PipelineTuning.DecodeWorkers(Environment.ProcessorCount),
            FetchConcurrency = http.Concurrency,
        };
    }
}
