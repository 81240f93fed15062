using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// The levels of a run's heatmap pyramid and the tile matrix set they belong to: which heatmap tiles a server of the
/// run folder can have (any other is outside the pyramid). Read from the render settings the products were written with.
/// </summary>
/// <param name="MatrixSet">The run's tile matrix set.</param>
/// <param name="MinZoom">The pyramid's lowest level.</param>
/// <param name="MaxZoom">The scored level, the pyramid's highest.</param>
public sealed record HeatmapLevels(TileMatrixSet MatrixSet, int MinZoom, int MaxZoom)
{
    /// <summary>The heatmap levels of the run in <paramref name="store"/>, or null when its run stopped before writing products.</summary>
    /// <param name="store">The run's store.</param>
    public static HeatmapLevels? Read(ScoreStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return ProductSettings.TryLoad(store) is { } settings
            ? new HeatmapLevels(settings.MatrixSet, settings.EffectiveMinZoom, settings.Extent.Zoom)
            : null;
    }

    /// <summary>Whether <paramref name="tile"/> lies inside the pyramid's levels and its tile matrix.</summary>
    /// <param name="tile">A heatmap tile.</param>
    public bool Contains(TileIndex tile)
    {
        if (tile.Zoom < MinZoom || tile.Zoom > MaxZoom || tile.Zoom >= MatrixSet.Matrices.Count)
        {
            return false;
        }

        var matrix = MatrixSet[tile.Zoom];
        return tile.Col < matrix.MatrixWidth && tile.Row < matrix.MatrixHeight;
    }
}
