namespace UrbanScore.Wmts;

/// <summary>A layer's link to a tile matrix set, with the optional per-matrix limits.</summary>
/// <param name="TileMatrixSet">Identifier of the linked set.</param>
/// <param name="Limits">TileMatrixSetLimits, empty when the layer covers every matrix fully.</param>
public sealed record WmtsTileMatrixSetLink(string TileMatrixSet, IReadOnlyList<WmtsTileMatrixLimits> Limits);
