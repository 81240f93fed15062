namespace UrbanScore.Tiling;

/// <summary>
/// The tiles of one matrix level that cover an area, streamed: a cover of a country at zoom 16 is millions of tiles
/// and is never materialised. The seam between areas (box, polygon, country, tile list, shard) and the pipeline.
/// </summary>
public interface ITileCover
{
    /// <summary>Matrix level.</summary>
    int Zoom { get; }

    /// <summary>Exact number of tiles <see cref="Enumerate"/> yields.</summary>
    long Count { get; }

    /// <summary>The smallest tile rectangle holding every tile (the extent of raster outputs).</summary>
    TileRange Extent { get; }

    /// <summary>The tiles, each once, spatial neighbours close together.</summary>
    IEnumerable<TileIndex> Enumerate();
}
