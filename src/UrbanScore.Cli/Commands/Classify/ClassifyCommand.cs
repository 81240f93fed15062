using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using UrbanScore.Imaging;
using UrbanScore.Inference;
using UrbanScore.Runs;

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
            var executionDevice = ExecutionDevice.Parse(parseResult.GetValue(device)!);
            var results = await Task.Run(() => ImageClassifier.Classify(info, executionDevice, files, cancellationToken), cancellationToken).ConfigureAwait(false);
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

    private static string ToText(ModelInfo info, IReadOnlyList<ImageClassification> results)
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

            var top = Top(result.Scores);
            for (var i = 0; i < info.Labels.Count; i++)
            {
                text.AppendLine(inv, $"  {info.Labels[i].PadRight(width)}  {result.Scores[i]:0.0000}{(i == top ? "  (top)" : string.Empty)}");
            }
        }

        return text.ToString();
    }

    private static string ToJson(ModelInfo info, IReadOnlyList<ImageClassification> results)
    {
        var document = results.Select(r => new ClassifyJson(
            File: r.File,
            Status: r.Status == DecodeStatus.Image ? "scored" : r.Status.ToString().ToLowerInvariant(),
            Reason: r.Scores is null ? r.Reason : null,
            Top: r.Scores is { } s ? info.Labels[Top(s)] : null,
            Scores: r.Scores is { } scores ? info.Labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => scores[p.i], StringComparer.Ordinal) : null)).ToList();
        return JsonSerializer.Serialize(document, CliJson.Output.ListClassifyJson) + Environment.NewLine;
    }

    private static int Top(IReadOnlyList<float> scores)
    {
        var top = 0;
        for (var i = 1; i < scores.Count; i++)
        {
            if (scores[i] > scores[top])
            {
                top = i;
            }
        }

        return top;
    }
}
