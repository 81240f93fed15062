namespace UrbanScore.Storage;

/// <summary>Where the wall time of a run went (run.json <c>timings</c>), in seconds.</summary>
/// <param name="StartupSeconds">
/// From the start of the process to the first tile request: runtime start, argument parsing, loading the model,
/// opening the store, the tile cover. In a process that runs several jobs it includes everything the process did before
/// this job. Null when this invocation requested no tile (everything was already done).
/// </param>
/// <param name="PipelineSeconds">The pipeline: fetch, decode, inference and the per-tile sinks (store, heatmap tiles).</param>
/// <param name="ProductsSeconds">After the pipeline: scores.csv, the pyramid, heatmap.mbtiles, the GeoTIFFs, the viewer.</param>
public sealed record RunTimings(double? StartupSeconds, double PipelineSeconds, double ProductsSeconds);
