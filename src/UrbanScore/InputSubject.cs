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

    /// <summary>The heatmap colours or threshold.</summary>
    Colormap,

    /// <summary>HTTP requests in flight.</summary>
    Concurrency,

    /// <summary>Requests per second per host.</summary>
    MaxRequestsPerSecond,

    /// <summary>Seconds per request attempt.</summary>
    Timeout,

    /// <summary>Retries per tile.</summary>
    Retries,
}
