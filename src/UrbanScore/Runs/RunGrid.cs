using UrbanScore.Rendering;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Runs;

/// <summary>The grid a run was scored on, as its store saved it: the tile matrix set and the scored tile range.</summary>
internal sealed record RunGrid(TileMatrixSet MatrixSet, TileRange Extent, string MatrixSetJson)
{
    /// <exception cref="UrbanScoreException">The run never reached its product step (no grid saved).</exception>
    public static RunGrid Load(ScoreStore store)
    {
        var settings = ProductSettings.Load(store);
        return new RunGrid(settings.MatrixSet, settings.Extent, ProductSettings.SerializeMatrixSet(settings.MatrixSet));
    }

    /// <summary>The run's bounds in WGS 84 degrees.</summary>
    public BoundingBox LonLatBounds
    {
        get
        {
            var (west, south, east, north) = HeatmapLayerInfo.LonLatBounds(MatrixSet, Extent);
            return new BoundingBox(MinX: west, MinY: south, MaxX: east, MaxY: north);
        }
    }
}
