using UrbanScore.Tiling;

namespace UrbanScore.Sources;

/// <summary>
/// Where tiles come from (an XYZ template, a WMTS layer, the demo world). The seam between the pipeline and the
/// many ways a server lays out its tiles.
/// </summary>
public interface ITileSource
{
    /// <summary>A human-readable description with secrets redacted (safe for logs and run.json).</summary>
    string Description { get; }

    /// <summary>The tile matrix set the source's tiles are in.</summary>
    TileMatrixSet MatrixSet { get; }

    /// <summary>Fetches one tile. Never throws for a per-tile failure: that is a <see cref="FetchStatus.Failed"/> result.</summary>
    /// <param name="tile">The tile.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    Task<FetchedTile> FetchAsync(TileIndex tile, CancellationToken cancellationToken);
}
