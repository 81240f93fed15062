namespace UrbanScore.Cli.Commands.Plan;

/// <summary>The document of <c>plan --json</c> (camelCase names, through <see cref="CliJson"/>).</summary>
internal sealed record PlanJson(
    string Area,
    int Zoom,
    long Tiles,
    double SquareKilometres,
    string TileMatrix,
    double MetresPerPixel,
    PlanExtentJson Extent,
    double TilesPerSecond,
    string RateSource,
    double EstimatedSeconds,
    IReadOnlyList<long> Shards);

/// <summary>The tile range of <see cref="PlanJson.Extent"/>.</summary>
internal sealed record PlanExtentJson(int MinCol, int MinRow, int MaxCol, int MaxRow);
