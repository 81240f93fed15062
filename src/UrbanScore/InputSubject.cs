namespace UrbanScore;

/// <summary>
/// Which input an <see cref="UrbanScoreException"/> is about, so a front end can point at its own name for it (the
/// command line maps each to its option) while the message itself speaks of the value.
/// </summary>
public enum InputSubject
{
    /// <summary>No single input (or not known).</summary>
    None,

    /// <summary>The tile source: XYZ template or WMTS capabilities.</summary>
    Source,

    /// <summary>The zoom level.</summary>
    Zoom,

    /// <summary>The area.</summary>
    Area,

    /// <summary>The model file.</summary>
    Model,

    /// <summary>The inference batch size.</summary>
    BatchSize,

    /// <summary>The number of decode workers.</summary>
    DecodeWorkers,

    /// <summary>The output folder.</summary>
    OutputFolder,

    /// <summary>The lowest heatmap pyramid level.</summary>
    MinZoom,

    /// <summary>The URL the outputs are published at.</summary>
    BaseUrl,

    /// <summary>Pixels per tile of scores.tif or heatmap.tif.</summary>
    PixelsPerTile,

    /// <summary>The heatmap colour map.</summary>
    Colormap,

    /// <summary>A probability threshold (heatmap transparency, evaluation).</summary>
    Threshold,

    /// <summary>HTTP requests in flight.</summary>
    Concurrency,

    /// <summary>Requests per second per host.</summary>
    MaxRequestsPerSecond,

    /// <summary>Seconds per request attempt.</summary>
    Timeout,

    /// <summary>Retries per tile.</summary>
    Retries,
    /// <summary>The bounding box of the area (longitudes and latitudes).</summary>
    BoundingBox,

    /// <summary>The GeoJSON file of the area.</summary>
    AreaFile,

    /// <summary>The country whose outline is the area.</summary>
    Country,

    /// <summary>The file listing the tiles to score.</summary>
    TileList,

    /// <summary>The buffer around the area, in metres.</summary>
    Buffer,

    /// <summary>The part (K/N) of a run split across machines.</summary>
    Shard,

    /// <summary>The folder of the tile disk cache.</summary>
    Cache,

    /// <summary>The labels file of the model.</summary>
    Labels,

    /// <summary>The inference device (CPU or a CUDA GPU).</summary>
    Device,

    /// <summary>The WMTS tile matrix (zoom level by identifier).</summary>
    TileMatrix,

    /// <summary>The WMTS tile matrix set.</summary>
    TileMatrixSet,

    /// <summary>The WMTS layer.</summary>
    Layer,

    /// <summary>The tile format (MIME type).</summary>
    Format,

    /// <summary>A WMTS dimension value.</summary>
    Dimension,

    /// <summary>The WMTS request encoding (REST or KVP).</summary>
    Encoding,

    /// <summary>The request headers (where an API key goes).</summary>
    Headers,

    /// <summary>The check that the source answers with images before a run starts.</summary>
    Preflight,

    /// <summary>The folder of a finished scoring run.</summary>
    RunFolder,

    /// <summary>The reference (truth) file of an evaluation.</summary>
    Truth,

    /// <summary>The share of a tile inside reference polygons that makes it positive.</summary>
    MinShare,

    /// <summary>The GeoJSON file of regions for statistics.</summary>
    Regions,

    /// <summary>The feature property that names each region.</summary>
    NameField,
}
