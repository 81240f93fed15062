using System.Text.Json.Serialization;

namespace UrbanScore.Rendering;

/// <summary>
/// The product step's serializers (the stored tile matrix set, the viewer's config), generated at build time so the
/// step does not build reflection metadata on first use (benchmarks/results/2026-11-30-fixed-costs.md). Default
/// options: property names as declared, and the default encoder, which escapes &lt;, &gt; and &amp; (the viewer's
/// config goes inside a script element).
/// </summary>
[JsonSerializable(typeof(ProductSettings.MatrixSetDto))]
[JsonSerializable(typeof(ViewerConfig))]
internal sealed partial class RenderingJson : JsonSerializerContext;
