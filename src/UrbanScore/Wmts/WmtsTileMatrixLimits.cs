namespace UrbanScore.Wmts;

/// <summary>The tiles of one TileMatrix a layer actually has (TileMatrixSetLimits, OGC 07-057r7 §7.1.1.4; bounds inclusive, as GeoWebCache writes them).</summary>
/// <param name="TileMatrix">Identifier of the TileMatrix the limits apply to.</param>
/// <param name="MinTileRow">First row.</param>
/// <param name="MaxTileRow">Last row, inclusive.</param>
/// <param name="MinTileCol">First column.</param>
/// <param name="MaxTileCol">Last column, inclusive.</param>
public sealed record WmtsTileMatrixLimits(string TileMatrix, long MinTileRow, long MaxTileRow, long MinTileCol, long MaxTileCol);
