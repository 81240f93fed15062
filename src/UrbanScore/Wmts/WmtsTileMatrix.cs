namespace UrbanScore.Wmts;

/// <summary>
/// One TileMatrix as a capabilities document defines it. <see cref="TopLeftX"/>/<see cref="TopLeftY"/> are already in
/// x/y order (easting or longitude first) after the axis-order rules of <see cref="WmtsCapabilitiesParser"/>.
/// </summary>
/// <param name="Identifier">Opaque identifier ("15", "05", "EPSG:900913:15", "1e6").</param>
/// <param name="ScaleDenominator">Scale denominator against the 0.28 mm standard pixel.</param>
/// <param name="TopLeftX">X of the top-left corner in CRS units.</param>
/// <param name="TopLeftY">Y of the top-left corner in CRS units.</param>
/// <param name="TileWidth">Tile width in pixels.</param>
/// <param name="TileHeight">Tile height in pixels.</param>
/// <param name="MatrixWidth">Tile columns.</param>
/// <param name="MatrixHeight">Tile rows.</param>
/// <param name="AxisRepair">What was repaired in a wrongly written TopLeftCorner, or null.</param>
public sealed record WmtsTileMatrix(
    string Identifier,
    double ScaleDenominator,
    double TopLeftX,
    double TopLeftY,
    int TileWidth,
    int TileHeight,
    long MatrixWidth,
    long MatrixHeight,
    string? AxisRepair);
