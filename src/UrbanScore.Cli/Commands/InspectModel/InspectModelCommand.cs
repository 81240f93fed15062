using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using UrbanScore.Inference;

namespace UrbanScore.Cli.Commands.InspectModel;

/// <summary><c>urbanscore inspect-model</c>: what UrbanScore sees in a Custom Vision ONNX export.</summary>
internal static class InspectModelCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The .onnx model file." };
        var labels = new Option<string?>("--labels") { Description = "Labels file (one tag per line); default: labels.txt beside the model." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("inspect-model", "Show a model's flavour, input, outputs, labels, preprocessing and batch size.");
        command.Arguments.Add(file);
        command.Options.Add(labels);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var info = ModelInspector.Inspect(parseResult.GetValue(file)!, parseResult.GetValue(labels));
            var text = parseResult.GetValue(json) ? ToJson(info) : ToText(info);
            await context.Out.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string ToText(ModelInfo info)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"model:        {info.Path}");
        text.AppendLine(inv, $"flavour:      {info.FlavourName}");
        text.AppendLine(inv, $"opset:        {string.Join(", ", info.Opsets.Select(o => (o.Key.Length == 0 ? "ai.onnx" : o.Key) + " " + o.Value.ToString(inv)))} (IR {info.IrVersion})");
        text.AppendLine(inv, $"producer:     {info.Producer}");
        text.AppendLine(inv, $"input:        {info.InputName} {info.InputType} {Shape(info.InputShape)}");
        text.AppendLine(inv, $"outputs:      {string.Join("; ", info.Outputs.Select(o => o.Name + " " + o.Type))}");
        text.AppendLine(inv, $"scores from:  {info.ScoreOutputName}");
        text.AppendLine(inv, $"labels:       {string.Join(", ", info.Labels)} (from {info.LabelsSource})");
        text.AppendLine(inv, $"pixel format: {info.PixelFormat}");
        text.AppendLine(inv, $"value range:  {info.ValueRange} ({info.PreprocessingSource})");
        text.AppendLine(inv, $"image size:   {info.Input.Width}×{info.Input.Height} (centre square crop, bilinear resize)");
        text.AppendLine(inv, $"batch:        {Batch(info)}");
        if (info.Sidecars is { } sidecars)
        {
            text.AppendLine(inv, $"export:       {sidecars.DomainType ?? "?"} / {sidecars.Platform ?? "?"}, flavor {sidecars.Flavor ?? "null"}, exported {sidecars.ExportedDate ?? "?"}");
        }

        foreach (var note in info.Notes)
        {
            text.AppendLine(inv, $"note:         {note}");
        }

        return text.ToString();
    }

    internal static string ToJson(ModelInfo info) =>
        JsonSerializer.Serialize(InspectModelJson.From(info), CliJson.Output.InspectModelJson) + Environment.NewLine;

    private static string Batch(ModelInfo info) =>
        info.FixedBatchSize is { } n ? n.ToString(CultureInfo.InvariantCulture) + " (fixed; batches run as concurrent Run calls)" : "dynamic";

    private static string Shape(IReadOnlyList<long> shape) =>
        "[" + string.Join(",", shape.Select(d => d < 0 ? "N" : d.ToString(CultureInfo.InvariantCulture))) + "]";
}
