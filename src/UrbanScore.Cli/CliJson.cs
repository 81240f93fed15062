using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using UrbanScore.Cli.Commands.Capabilities;
using UrbanScore.Cli.Commands.Classify;
using UrbanScore.Cli.Commands.InspectModel;
using UrbanScore.Cli.Commands.Plan;

namespace UrbanScore.Cli;

/// <summary>
/// The JSON the commands print (<c>--json</c>), through System.Text.Json source generation: records in, camelCase
/// names, indented. <see cref="JsonSerializerContext"/>'s default instance writes nulls and escapes like the
/// serializer's defaults; <see cref="Output"/> keeps non-ASCII readable.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CapabilitiesJson))]
[JsonSerializable(typeof(List<ClassifyJson>))]
[JsonSerializable(typeof(InspectModelJson))]
[JsonSerializable(typeof(PlanJson))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>Non-ASCII kept readable (the output is for people and scripts, never embedded in HTML).</summary>
    public static CliJson Output { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
