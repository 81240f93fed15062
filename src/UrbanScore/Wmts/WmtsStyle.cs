namespace UrbanScore.Wmts;

/// <summary>A style a WMTS layer offers (OGC 07-057r7 §7.2.4.6.5).</summary>
/// <param name="Identifier">The value sent as STYLE / <c>{Style}</c>; may be empty.</param>
/// <param name="IsDefault">Whether the server marks it <c>isDefault="true"</c>.</param>
public readonly record struct WmtsStyle(string Identifier, bool IsDefault);
