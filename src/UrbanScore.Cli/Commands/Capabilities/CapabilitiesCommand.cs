using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using UrbanScore.Sources;
using UrbanScore.Wmts;

namespace UrbanScore.Cli.Commands.Capabilities;

/// <summary><c>urbanscore capabilities &lt;URL|file&gt; [--json]</c>: what a WMTS offers, as UrbanScore reads it.</summary>
internal static class CapabilitiesCommand
{
    private static readonly Argument<string> s_location = new("location")
    {
        Description = "WMTS GetCapabilities URL (http/https) or file.",
    };

    private static readonly Option<bool> s_json = new("--json")
    {
        Description = "Print the layers and tile matrix sets as JSON (camelCase; topLeftCorner is x, y after axis-order handling).",
    };

    public static Command Create(CliContext context)
    {
        var command = new Command("capabilities", "Show the layers, formats, styles and tile matrix sets of a WMTS.");
        command.Arguments.Add(s_location);
        command.Options.Add(s_json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var location = parseResult.GetValue(s_location)!;
            using var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", new HttpFetchOptions().UserAgent);
            var capabilities = await WmtsCapabilitiesParser.LoadAsync(location, client, cancellationToken).ConfigureAwait(false);
            var text = parseResult.GetValue(s_json) ? ToJson(capabilities) : ToSummary(capabilities);
            await context.Out.WriteAsync(text).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The JSON document of <c>capabilities --json</c> (README).</summary>
    internal static string ToJson(WmtsCapabilities capabilities) =>
        JsonSerializer.Serialize(CapabilitiesJson.From(capabilities), CliJson.Default.CapabilitiesJson) + Environment.NewLine;

    /// <summary>A readable summary: one block per layer, one line per tile matrix set.</summary>
    internal static string ToSummary(WmtsCapabilities capabilities)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"{capabilities.Title ?? "(untitled WMTS)"}");
        text.AppendLine(invariant, $"GetTile: KVP {(capabilities.GetTileKvp is { } kvp ? SecretRedactor.Redact(kvp.ToString()) : "not advertised")}");
        text.AppendLine();
        text.AppendLine(invariant, $"{capabilities.Layers.Count} layer(s):");
        foreach (var layer in capabilities.Layers)
        {
            text.AppendLine(invariant, $"  {layer.Identifier}{(layer.Title is { } title && title != layer.Identifier ? $"  \"{title}\"" : string.Empty)}");
            text.AppendLine(invariant, $"    formats: {string.Join(", ", layer.Formats)}");
            if (layer.Styles.Count > 0)
            {
                text.AppendLine(invariant, $"    styles: {string.Join(", ", layer.Styles.Select(s => s.IsDefault ? s.Identifier + " (default)" : s.Identifier))}");
            }

            text.AppendLine(invariant, $"    tile matrix sets: {string.Join(", ", layer.TileMatrixSetLinks.Select(l => l.Limits.Count > 0 ? l.TileMatrixSet + " (limited)" : l.TileMatrixSet))}");
            foreach (var dimension in layer.Dimensions)
            {
                text.AppendLine(invariant, $"    dimension {dimension.Identifier}: default {dimension.Default ?? "(none)"}, {dimension.Values.Count} value(s)");
            }

            if (layer.ResourceUrls.FirstOrDefault(r => r.IsTile) is { } template)
            {
                text.AppendLine(invariant, $"    REST: {SecretRedactor.Redact(template.Template)}");
            }
        }

        text.AppendLine();
        text.AppendLine(invariant, $"{capabilities.TileMatrixSets.Count} tile matrix set(s):");
        foreach (var set in capabilities.TileMatrixSets)
        {
            var crs = set.Epsg is { } epsg
                ? string.Create(invariant, $"EPSG:{epsg}{(set.IsCrsSupported ? string.Empty : " (not supported)")}")
                : "unsupported CRS";
            var levels = set.Matrices.Count == 0 ? "no matrices" : $"{set.Matrices.Count} matrices {set.Matrices[0].Identifier}..{set.Matrices[^1].Identifier}";
            text.AppendLine(invariant, $"  {set.Identifier}  {set.SupportedCrs} → {crs}, {levels}");
            var repaired = set.Matrices.Select(m => m.AxisRepair).FirstOrDefault(r => r is not null);
            if (repaired is not null)
            {
                text.AppendLine(invariant, $"    note: {repaired}");
            }
        }

        return text.ToString();
    }
}
