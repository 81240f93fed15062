namespace UrbanScore.Wmts;

/// <summary>A RESTful URL template of a layer (<c>ResourceURL</c>).</summary>
/// <param name="Format">MIME type of the resource, as advertised.</param>
/// <param name="ResourceType"><c>tile</c>, <c>FeatureInfo</c>, …</param>
/// <param name="Template">The template with <c>{TileMatrix}</c>-style placeholders, possibly relative.</param>
public sealed record WmtsResourceUrl(string Format, string ResourceType, string Template)
{
    /// <summary>Whether this template serves tiles.</summary>
    public bool IsTile => string.Equals(ResourceType, "tile", StringComparison.OrdinalIgnoreCase);
}
