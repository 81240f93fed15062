namespace UrbanScore.Storage;

/// <summary>Tile counts of a run.</summary>
/// <param name="Planned">Tiles covering the area.</param>
/// <param name="Scored">Tiles scored (all runs into this folder).</param>
/// <param name="Empty">Tiles with no imagery.</param>
/// <param name="Failed">Tiles that failed (a re-run retries them).</param>
/// <param name="Skipped">Tiles this invocation skipped because an earlier run had finished them.</param>
public sealed record RunCounts(long Planned, long Scored, long Empty, long Failed, long Skipped);
