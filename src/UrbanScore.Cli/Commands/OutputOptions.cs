using System.CommandLine;
using UrbanScore.Rendering;

namespace UrbanScore.Cli.Commands;

/// <summary>
/// Options of the products (shared by <c>score</c> and <c>render</c>): colours, pyramid depth, GeoTIFF resolutions and
/// the published URL. For <c>render</c> an option left out keeps what the run recorded.
/// </summary>
internal sealed class OutputOptions
{
    private readonly Option<string?> _colormap = new("--colormap") { Description = "Heatmap colours: red (alpha = P, the default), viridis, magma." };
    private readonly Option<float?> _threshold = new("--threshold") { Description = "Scores below this (0..1) are transparent in the heatmap." };
    private readonly Option<int?> _minZoom = new("--min-zoom") { Description = "Lowest heatmap pyramid level (default: 6 levels above --zoom, or 0)." };
    private readonly Option<int?> _pixelsPerTile = new("--pixels-per-tile") { Description = "Pixels per tile in scores.tif, 1..256 (default 1)." };
    private readonly Option<int?> _heatmapPixelsPerTile = new("--heatmap-pixels-per-tile") { Description = "Pixels per tile in heatmap.tif, 1..256 (default 16)." };
    private readonly Option<string?> _baseUrl = new("--base-url") { Description = "URL the output folder is published at, for absolute URLs in tilejson.json and heatmap-wmts.xml (default: relative)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _colormap, _threshold, _minZoom, _pixelsPerTile, _heatmapPixelsPerTile, _baseUrl })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The products of <c>score</c>: red with no threshold and the engine's defaults unless given.</summary>
    public ProductOptions Products(ParseResult parseResult) => new()
    {
        Palette = HeatmapPalette.Create(parseResult.GetValue(_colormap) ?? "red", parseResult.GetValue(_threshold) ?? 0f),
        MinZoom = parseResult.GetValue(_minZoom),
        ScorePixelsPerTile = parseResult.GetValue(_pixelsPerTile) ?? GeoTiffWriter.DefaultScorePixelsPerTile,
        HeatmapPixelsPerTile = parseResult.GetValue(_heatmapPixelsPerTile) ?? GeoTiffWriter.DefaultHeatmapPixelsPerTile,
        BaseUrl = parseResult.GetValue(_baseUrl),
    };

    /// <summary>The overrides for <c>render</c>: only what was given.</summary>
    public RenderOverrides Overrides(ParseResult parseResult)
    {
        var colormap = parseResult.GetValue(_colormap);
        var threshold = parseResult.GetValue(_threshold);
        if (colormap is not null || threshold is not null)
        {
            _ = HeatmapPalette.Create(colormap ?? "red", threshold ?? 0f); // validate now, with the option names in the message
        }

        return new RenderOverrides
        {
            Colormap = colormap,
            Threshold = threshold,
            MinZoom = parseResult.GetValue(_minZoom),
            ScorePixelsPerTile = parseResult.GetValue(_pixelsPerTile),
            HeatmapPixelsPerTile = parseResult.GetValue(_heatmapPixelsPerTile),
            BaseUrl = parseResult.GetValue(_baseUrl),
        };
    }
}
