using System.Text.Json;
using UrbanScore.Inference;

namespace UrbanScore.Cli.Commands.InspectModel;

/// <summary>The document of <c>inspect-model --json</c>; <c>batch</c> is the fixed batch size or "dynamic".</summary>
internal sealed record InspectModelJson(
    string Flavour,
    long Opset,
    string Producer,
    string InputName,
    IReadOnlyList<long> InputShape,
    string InputType,
    string PixelFormat,
    string ValueRange,
    IReadOnlyList<string> Labels,
    JsonElement Batch,
    IReadOnlyList<OutputJson> Outputs,
    IReadOnlyList<string> Notes)
{
    public static InspectModelJson From(ModelInfo info) => new(
        info.FlavourName,
        info.Opset,
        info.Producer,
        info.InputName,
        info.InputShape,
        info.InputType,
        info.PixelFormat,
        info.ValueRange,
        info.Labels,
        info.FixedBatchSize is { } n ? JsonSerializer.SerializeToElement(n, CliJson.Output.Int32) : JsonSerializer.SerializeToElement("dynamic", CliJson.Output.String),
        [.. info.Outputs.Select(o => new OutputJson(o.Name, o.Type))],
        info.Notes);
}

internal sealed record OutputJson(string Name, string Type);
