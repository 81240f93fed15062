using UrbanScore.Sources;
using UrbanScore.Wmts;

namespace UrbanScore.Runs;

/// <summary>A tile source opened by <see cref="TileSources.OpenAsync"/>.</summary>
/// <param name="Source">The source (borrows the fetcher it was opened with).</param>
/// <param name="Level">The level of its tile matrix set that matches the zoom asked for.</param>
/// <param name="Selection">The WMTS layer, set, style and format chosen, or null for an XYZ source.</param>
public sealed record OpenedSource(ITileSource Source, int Level, WmtsSelection? Selection);
