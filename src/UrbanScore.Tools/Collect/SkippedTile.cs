using UrbanScore.Tiling;

namespace UrbanScore.Tools.Collect;

/// <summary>A city tile that was not collected.</summary>
/// <param name="Tile">The tile.</param>
/// <param name="City">The city it belongs to.</param>
/// <param name="Reason">Why: the server's empty or failed answer (secrets redacted).</param>
public readonly record struct SkippedTile(TileIndex Tile, string City, string Reason);
