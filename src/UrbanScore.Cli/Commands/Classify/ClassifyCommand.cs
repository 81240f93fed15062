using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using UrbanScore.Imaging;
using UrbanScore.Inference;

namespace UrbanScore.Cli.Commands.Classify;

/// <summary>
/// <c>urbanscore classify</c>: scores single images with a model and prints every label's probability, to check a
/// model on its own training pictures. Preprocessing is the scoring pipeline's (<see cref="TilePreprocessor"/>).
/// </summary>
internal static class ClassifyCommand
{
    private static readonly string[] s_imageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"];

    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("images") { Description = "Image files, or folders whose images are classified.", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string>("--model") { Description = "The .onnx model file.", Required = true };
        var labels = new Option<string?>("--labels") { Description = "Labels file (one tag per line); default: labels.txt beside the model." };
        var device = new Option<string>("--device") { Description = "cpu (default) or cuda[:id] (GPU build only).", DefaultValueFactory = _ => "cpu" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("classify", "Print every label's score for single images.");
        command.Arguments.Add(paths);
        command.Options.Add(model);
        command.Options.Add(labels);
        command.Options.Add(device);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var files = ExpandImages(parseResult.GetValue(paths)!);
            var info = ModelInspector.Inspect(parseResult.GetValue(model)!, parseResult.GetValue(labels));
            var options = new OnnxScorerOptions { Device = ExecutionDevice.Parse(parseResult.GetValue(device)!), BatchSize = 1 };
            var results = await Task.Run(() => Classify(info, options, files, cancellationToken), cancellationToken).ConfigureAwait(false);
            var text = parseResult.GetValue(json) ? ToJson(info, results) : ToText(info, results);
            await context.Out.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static List<string> ExpandImages(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var images = Directory.EnumerateFiles(path)
                    .Where(f => s_imageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (images.Count == 0)
                {
                    throw new UrbanScoreException($"folder {path} holds no images ({string.Join(", ", s_imageExtensions)}); pass image files or a folder of images.");
                }

                files.AddRange(images);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new UrbanScoreException($"{path} does not exist; pass image files or folders of images.");
            }
        }

        return files;
    }

    private static List<ImageResult> Classify(ModelInfo info, OnnxScorerOptions options, List<string> files, CancellationToken cancellationToken)
    {
        using var scorer = new OnnxTileScorer(info, options);
        using var preprocessor = new TilePreprocessor(info.Input);
        var input = new float[info.Input.ValuesPerImage];
        var scores = new float[info.Labels.Count];
        var results = new List<ImageResult>(files.Count);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var decoded = preprocessor.Fill(File.ReadAllBytes(file), input);
            if (decoded.Status != DecodeStatus.Image)
            {
                results.Add(new ImageResult(file, decoded.Status, decoded.Reason, null));
                continue;
            }

            scorer.Score(input, 1, scores);
            results.Add(new ImageResult(file, DecodeStatus.Image, null, (float[])scores.Clone()));
        }

        return results;
    }

    private static string ToText(ModelInfo info, List<ImageResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        var width = info.Labels.Max(l => l.Length);
        var text = new StringBuilder();
        foreach (var result in results)
        {
            text.AppendLine(result.File);
            if (result.Scores is null)
            {
                text.AppendLine(inv, $"  not scored: {result.Reason} ({result.Status.ToString().ToLowerInvariant()})");
                continue;
            }

            var top = Array.IndexOf(result.Scores, result.Scores.Max());
            for (var i = 0; i < info.Labels.Count; i++)
            {
                text.AppendLine(inv, $"  {info.Labels[i].PadRight(width)}  {result.Scores[i]:0.0000}{(i == top ? "  (top)" : string.Empty)}");
            }
        }

        return text.ToString();
    }

    private static string ToJson(ModelInfo info, List<ImageResult> results)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteString("file", result.File);
                writer.WriteString("status", result.Status == DecodeStatus.Image ? "scored" : result.Status.ToString().ToLowerInvariant());
                if (result.Scores is null)
                {
                    writer.WriteString("reason", result.Reason);
                }
                else
                {
                    writer.WriteString("top", info.Labels[Array.IndexOf(result.Scores, result.Scores.Max())]);
                    writer.WriteStartObject("scores");
                    for (var i = 0; i < info.Labels.Count; i++)
                    {
                        writer.WriteNumber(info.Labels[i], result.Scores[i]);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private sealed record ImageResult(string File, DecodeStatus Status, string? Reason, float[]? Scores);
}
