namespace UrbanScore.Analysis;

/// <summary>Urban area of one region (or of the whole run) at a threshold (docs/analysis.md).</summary>
/// <param name="Name">The region's name; null for the run's total.</param>
/// <param name="Tiles">Stored tiles (scored, empty or failed) that meet the region.</param>
/// <param name="Scored">Scored tiles among them.</param>
/// <param name="UrbanTiles">Scored tiles with P ≥ threshold.</param>
/// <param name="UrbanKm2">Ground area on the WGS 84 ellipsoid of the urban tiles' parts inside the region, km².</param>
/// <param name="ExpectedUrbanKm2">Σ P × ground area inside the region over the scored tiles, km².</param>
/// <param name="MeanScore">Mean P of the scored tiles weighted by their ground area inside the region; null when none is scored.</param>
public sealed record RegionStatistics(string? Name, long Tiles, long Scored, long UrbanTiles, double UrbanKm2, double ExpectedUrbanKm2, double? MeanScore);
