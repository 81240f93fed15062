namespace UrbanScore.Rendering;

/// <summary>
/// Maps a score to an unassociated-alpha (straight) RGBA colour for <c>heatmap.tif</c>. Called only for scores that
/// are not NaN (no-data pixels are always written 0,0,0,0), once per tile, from the writing thread.
/// </summary>
/// <param name="score">P(positive label), normally 0..1.</param>
/// <param name="rgba">Four bytes to fill: red, green, blue, alpha.</param>
public delegate void GeoTiffPalette(float score, Span<byte> rgba);
