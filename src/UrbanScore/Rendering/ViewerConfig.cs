using System.Text.Json.Serialization;

namespace UrbanScore.Rendering;

/// <summary>The viewer's configuration, written into <c>index.html</c> as JSON for the page script.</summary>
/// <param name="Heatmap">The heatmap's relative XYZ template.</param>
/// <param name="MinZoom">Lowest pyramid level.</param>
/// <param name="MaxZoom">The scored level.</param>
/// <param name="Bounds">[[south, west], [north, east]] in degrees (Leaflet's LatLngBounds).</param>
/// <param name="Imagery">The imagery layer, or null when there is none (the page says why).</param>
internal sealed record ViewerConfig(
    [property: JsonPropertyName("heatmap")] string Heatmap,
    [property: JsonPropertyName("minZoom")] int MinZoom,
    [property: JsonPropertyName("maxZoom")] int MaxZoom,
    [property: JsonPropertyName("bounds")] double[][] Bounds,
    [property: JsonPropertyName("imagery")] ViewerImagery? Imagery);
