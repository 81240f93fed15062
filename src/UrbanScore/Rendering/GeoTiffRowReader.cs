namespace UrbanScore.Rendering;

/// <summary>
/// Supplies the scores of one row of tiles to a GeoTIFF writer. The writer calls it once per row, in order from
/// <see cref="Tiling.TileRange.MinRow"/> to <see cref="Tiling.TileRange.MaxRow"/>, from a single thread.
/// </summary>
/// <param name="tileRow">The tile row (matrix row index, not relative to the range).</param>
/// <param name="scores">
/// One slot per tile column from <see cref="Tiling.TileRange.MinCol"/> to <see cref="Tiling.TileRange.MaxCol"/>, to be
/// filled with P(positive label) in 0..1, or <see cref="float.NaN"/> where there is no score (empty or failed tile).
/// Arrives pre-filled with NaN; valid only during the call.
/// </param>
public delegate void GeoTiffRowReader(int tileRow, Span<float> scores);
