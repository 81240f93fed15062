using System.Text.Json.Serialization;

namespace UrbanScore.Rendering;

/// <summary>The viewer's imagery layer as Leaflet options (<c>index.html</c>'s config; names as the page script reads them).</summary>
/// <param name="Url">Tile URL template with {z}/{x}/{y}, or {m}/{x}/{y} for WMTS with <paramref name="MatrixIds"/>.</param>
/// <param name="MatrixIds">WMTS tile matrix identifiers by zoom, or null for XYZ.</param>
/// <param name="MaxNativeZoom">Highest level the source serves.</param>
/// <param name="ServedOnly">True when only <c>urbanscore serve</c> answers the URL (the demo world), else null.</param>
/// <param name="Attribution">Attribution text.</param>
internal sealed record ViewerImagery(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("matrixIds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? MatrixIds,
    [property: JsonPropertyName("maxNativeZoom")] int MaxNativeZoom,
    [property: JsonPropertyName("servedOnly"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ServedOnly,
    [property: JsonPropertyName("attribution")] string Attribution);
