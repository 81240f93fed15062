namespace UrbanScore.Analysis;

/// <summary>
/// How the urban area of one region (or of the whole comparison) changed between two runs, over the tiles scored in
/// both, so that <see cref="UrbanKm2After"/> − <see cref="UrbanKm2Before"/> = <see cref="GainedUrbanKm2"/> −
/// <see cref="LostUrbanKm2"/> (docs/analysis.md).
/// </summary>
/// <param name="Name">The region's name; null for the total.</param>
/// <param name="Tiles">Tiles scored in both runs that meet the region.</param>
/// <param name="UrbanKm2Before">Ground area of the tiles urban before (P ≥ threshold), km².</param>
/// <param name="UrbanKm2After">Ground area of the tiles urban after, km².</param>
/// <param name="GainedUrbanKm2">Ground area of the tiles urban after but not before, km².</param>
/// <param name="LostUrbanKm2">Ground area of the tiles urban before but not after, km².</param>
public sealed record RegionChange(string? Name, long Tiles, double UrbanKm2Before, double UrbanKm2After, double GainedUrbanKm2, double LostUrbanKm2);
