namespace UrbanScore.Wmts;

/// <summary>An extra request dimension of a layer (e.g. <c>Time</c>), sent as a KVP parameter or a template placeholder.</summary>
/// <param name="Identifier">Name of the dimension (placeholder name in templates).</param>
/// <param name="Default">The server's default value, or null.</param>
/// <param name="Values">Advertised values (may be ISO intervals), in document order.</param>
public sealed record WmtsDimension(string Identifier, string? Default, IReadOnlyList<string> Values);
