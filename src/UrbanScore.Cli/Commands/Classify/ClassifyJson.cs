using System.Text.Json.Serialization;

namespace UrbanScore.Cli.Commands.Classify;

/// <summary>One image of <c>classify --json</c>: <c>reason</c> when not scored, <c>top</c> and <c>scores</c> when scored.</summary>
internal sealed record ClassifyJson(
    string File,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Top,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, float>? Scores);
