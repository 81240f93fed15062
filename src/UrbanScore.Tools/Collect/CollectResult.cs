namespace UrbanScore.Tools.Collect;

/// <summary>What a <see cref="DatasetCollector"/> run wrote.</summary>
public sealed class CollectResult
{
    /// <summary>Path of the manifest (<c>manifest.csv</c>).</summary>
    public required string ManifestPath { get; init; }

    /// <summary>The tiles written, city tiles first (in city order), then random tiles (in draw order).</summary>
    public required IReadOnlyList<DatasetTile> Tiles { get; init; }

    /// <summary>City tiles that could not be collected (failed or empty), with the reason.</summary>
    public required IReadOnlyList<SkippedTile> SkippedCityTiles { get; init; }

    /// <summary>Distinct city tiles planned (after deduplication).</summary>
    public required int PlannedCityTiles { get; init; }

    /// <summary>Random draws that were fetched but failed or were empty, and so were replaced.</summary>
    public required int ReplacedRandomTiles { get; init; }

    /// <summary>Random tiles asked for but not found (the draw budget ran out, e.g. a server with few images).</summary>
    public required int MissingRandomTiles { get; init; }

    /// <summary>With outlines: tiles inside them by the inside rule (the population the positives are drawn from).</summary>
    public long EligibleOutlineTiles { get; init; }

    /// <summary>With outlines: positive draws that were fetched but failed or were empty, and so were replaced.</summary>
    public int ReplacedOutlineTiles { get; init; }

    /// <summary>With outlines: positives asked for but not found (fewer tiles inside the outlines, or too many failed).</summary>
    public int MissingOutlineTiles { get; init; }

    /// <summary>Tiles written under <c>city/</c>.</summary>
    public int CityCount => Tiles.Count(t => t.Label == DatasetTile.CityLabel);

    /// <summary>Tiles written under <c>not-city/</c>.</summary>
    public int NotCityCount => Tiles.Count - CityCount;
}
