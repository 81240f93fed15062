using System.Globalization;
using System.Text.Json;

namespace UrbanScore.Inference;

/// <summary>
/// The files a Custom Vision export zip puts beside <c>model.onnx</c>: <c>cvexport.manifest</c> (JSON: DomainType,
/// Platform, Flavor, ExportedDate, ModelFileName, LabelFileName, MetadataPropsFileName) and
/// <c>metadata_properties.json</c> (the export's metadata as a flat JSON object). As in every Custom Vision export: the
/// sidecar metadata is known to contradict the model (it "always says Rgb8"), so it is a hint only and the metadata
/// embedded in the model wins.
/// </summary>
public sealed class ExportSidecars
{
    /// <summary>Name of the export manifest file.</summary>
    public const string ManifestFileName = "cvexport.manifest";

    /// <summary>Default name of the metadata sidecar.</summary>
    public const string MetadataFileName = "metadata_properties.json";

    private ExportSidecars()
    {
    }

    /// <summary>Path of <c>cvexport.manifest</c>, or null when absent.</summary>
    public string? ManifestPath { get; private init; }

    /// <summary>Path of the metadata sidecar, or null when absent.</summary>
    public string? MetadataPath { get; private init; }

    /// <summary>Manifest <c>DomainType</c>, e.g. <c>Classification</c>.</summary>
    public string? DomainType { get; private init; }

    /// <summary>Manifest <c>Platform</c>, e.g. <c>ONNX</c>.</summary>
    public string? Platform { get; private init; }

    /// <summary>Manifest <c>Flavor</c>: null, <c>ONNX12</c>, <c>ONNXFloat16</c>, ...</summary>
    public string? Flavor { get; private init; }

    /// <summary>Manifest <c>ExportedDate</c> as written (ISO 8601).</summary>
    public string? ExportedDate { get; private init; }

    /// <summary>Manifest <c>ModelFileName</c>.</summary>
    public string? ModelFileName { get; private init; }

    /// <summary>Manifest <c>LabelFileName</c> (null in some 2019 ONNX12 exports).</summary>
    public string? LabelFileName { get; private init; }

    /// <summary>The metadata sidecar's string values (empty when absent); never used for preprocessing.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; private init; } = new Dictionary<string, string>();

    /// <summary>
    /// Reads the sidecars in <paramref name="folder"/>; null when it holds neither file. A file that is not JSON is an
    /// <see cref="UrbanScoreException"/>.
    /// </summary>
    public static ExportSidecars? Read(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var manifestPath = Path.Combine(folder, ManifestFileName);
        var manifest = File.Exists(manifestPath) ? ReadObject(manifestPath) : null;
        var metadataName = manifest is not null && manifest.TryGetValue("MetadataPropsFileName", out var named) && !string.IsNullOrWhiteSpace(named)
            ? named
            : MetadataFileName;
        var metadataPath = Path.Combine(folder, Path.GetFileName(metadataName));
        var metadata = File.Exists(metadataPath) ? ReadObject(metadataPath) : null;
        if (manifest is null && metadata is null)
        {
            return null;
        }

        string? Get(string key) => manifest is not null && manifest.TryGetValue(key, out var v) ? v : null;
        return new ExportSidecars
        {
            ManifestPath = manifest is null ? null : manifestPath,
            MetadataPath = metadata is null ? null : metadataPath,
            DomainType = Get("DomainType"),
            Platform = Get("Platform"),
            Flavor = Get("Flavor"),
            ExportedDate = Get("ExportedDate"),
            ModelFileName = Get("ModelFileName"),
            LabelFileName = Get("LabelFileName"),
            Metadata = (IReadOnlyDictionary<string, string>?)metadata ?? new Dictionary<string, string>(),
        };
    }

    private static Dictionary<string, string> ReadObject(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("not a JSON object");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                // Nulls are left out so that "LabelFileName": null reads as absent.
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    values[property.Name] = property.Value.GetString()!;
                }
                else if (property.Value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                {
                    values[property.Name] = property.Value.GetRawText();
                }
            }

            return values;
        }
        catch (JsonException ex)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"{path} is not valid JSON ({ex.Message}); restore it from the Custom Vision export zip or delete it."), ex);
        }
    }
}
