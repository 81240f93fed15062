namespace UrbanScore.Rendering;

/// <summary>What rendering the products of a run wrote.</summary>
/// <param name="Outputs">Files and folders (ending with '/') relative to the output folder.</param>
/// <param name="MinZoom">Lowest heatmap pyramid level written.</param>
/// <param name="MaxZoom">The scored level.</param>
/// <param name="PyramidTiles">PNG tiles written below the scored level.</param>
/// <param name="MbTilesTiles">Tiles in heatmap.mbtiles (0 when not written).</param>
/// <param name="Notes">What was left out and why (non-web-mercator runs, imagery layer), one sentence each.</param>
public sealed record RenderResult(IReadOnlyList<string> Outputs, int MinZoom, int MaxZoom, long PyramidTiles, long MbTilesTiles, IReadOnlyList<string> Notes);
