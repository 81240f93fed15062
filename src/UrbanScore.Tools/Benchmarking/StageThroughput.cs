namespace UrbanScore.Tools.Benchmarking;

/// <summary>Throughput of one measured stage.</summary>
/// <param name="TilesPerSecond">Tiles per second of wall time.</param>
/// <param name="Tiles">Tiles processed while measuring.</param>
/// <param name="Seconds">Wall time measured.</param>
/// <param name="CpuUtilisation">Process CPU time ÷ (wall time × cores): 1.0 is every core busy.</param>
/// <param name="CpuMsPerTile">Process CPU time per tile, in milliseconds: what a tile costs whatever the sharing.</param>
public sealed record StageThroughput(double TilesPerSecond, long Tiles, double Seconds, double CpuUtilisation, double CpuMsPerTile);
