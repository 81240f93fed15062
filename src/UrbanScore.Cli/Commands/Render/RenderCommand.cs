using System.CommandLine;
using System.Globalization;
using UrbanScore.Rendering;

namespace UrbanScore.Cli.Commands.Render;

/// <summary><c>urbanscore render --out DIR</c>: re-renders every product of a run from its scores.sqlite, without scoring.</summary>
internal static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Output folder of a run (holds scores.sqlite).", Required = true };
        var products = new OutputOptions();
        var command = new Command("render", "Re-render the heatmap pyramid, MBTiles, TileJSON, WMTS document, GeoTIFFs and viewer of a run from its scores.sqlite.");
        command.Options.Add(output);
        products.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(output)!;
            var result = RunRenderer.Render(folder, products.Overrides(parseResult), cancellationToken);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"rendered {folder}: heatmap levels {result.MinZoom}..{result.MaxZoom} ({result.PyramidTiles} pyramid tiles), {string.Join(", ", result.Outputs)}")).ConfigureAwait(false);
            foreach (var note in result.Notes)
            {
                await context.Out.WriteLineAsync("note: " + note).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
