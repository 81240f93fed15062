using System.CommandLine;
using UrbanScore.Inference;

namespace UrbanScore.Cli.Commands;

/// <summary>Options that choose and tune the model; the engine validates and tunes (<see cref="Runs.ScoreRun"/>).</summary>
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

    public string? LabelsPath(ParseResult parseResult) => parseResult.GetValue(Labels);

    public int Batch(ParseResult parseResult) => parseResult.GetValue(BatchSize);

    public int DecodeWorkers(ParseResult parseResult) => parseResult.GetValue(Threads);

    public ExecutionDevice ExecutionDevice(ParseResult parseResult) => Inference.ExecutionDevice.Parse(parseResult.GetValue(Device)!);
}
