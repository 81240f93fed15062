using UrbanScore.Storage;

namespace UrbanScore.Rendering;

/// <summary>
/// <c>urbanscore render</c>: re-renders every product of an output folder from its <c>scores.sqlite</c> without the
/// source or the model — scores.csv, the heatmap tiles and pyramid, heatmap.mbtiles, tilejson.json,
/// heatmap-wmts.xml, scores.tif, heatmap.tif and the viewer. With no overrides the result is byte-identical to what
/// <c>score</c> wrote.
/// </summary>
public static class RunRenderer
{
    /// <summary>Renders the products of the run in <paramref name="outputFolder"/>.</summary>
    /// <param name="outputFolder">A folder written by <c>urbanscore score</c>.</param>
    /// <param name="overrides">Settings to change (saved into the store for later renders), or null.</param>
    /// <param name="cancellationToken">Stops between rows; finished files stay.</param>
    /// <exception cref="UrbanScoreException">No store, a run that never reached its product step, or a bad override.</exception>
    public static RenderResult Render(string outputFolder, RenderOverrides? overrides = null, CancellationToken cancellationToken = default)
    {
        using var store = ScoreStore.OpenExisting(outputFolder);
        var saved = ProductSettings.Load(store);
        var settings = saved;
        if (overrides is not null)
        {
            settings = new ProductSettings
            {
                Colormap = overrides.Colormap ?? saved.Colormap,
                Threshold = overrides.Threshold ?? saved.Threshold,
                MinZoom = overrides.MinZoom ?? saved.MinZoom,
                ScorePixelsPerTile = overrides.ScorePixelsPerTile ?? saved.ScorePixelsPerTile,
                HeatmapPixelsPerTile = overrides.HeatmapPixelsPerTile ?? saved.HeatmapPixelsPerTile,
                BaseUrl = overrides.BaseUrl is null ? saved.BaseUrl : ProductSettings.NormaliseBaseUrl(overrides.BaseUrl),
                Extent = saved.Extent,
                MatrixSet = saved.MatrixSet,
                Date = saved.Date,
            };
            _ = settings.Palette; // validates colour map and threshold before anything is written
            settings.Save(store);
        }

        var labels = store.ReadIdentity().Labels;
        CsvExporter.Write(store, labels, Path.Combine(outputFolder, CsvExporter.FileName));
        var result = ProductWriters.Render(store, outputFolder, settings, rewriteScoredLevel: true, cancellationToken);
        return result with { Outputs = [ScoreStore.FileName, CsvExporter.FileName, HeatmapTileWriter.FolderName + "/", .. result.Outputs] };
    }
}
