using UrbanScore.Rendering;
using UrbanScore.Storage;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tools.Hosting;

/// <summary>
/// What <see cref="RunFolderServer"/> needs to know about the run it serves, read once from its store: the heatmap's
/// levels and tile matrices (tiles outside them are 404) and whether its imagery is the demo world (then the server
/// renders that imagery itself). A folder without a store (copied without scores.sqlite) is served with web mercator
/// levels 0..30.
/// </summary>
internal sealed class ServedRun
{
    /// <summary>URL folder of the demo world's imagery, as <see cref="ViewerWriter"/> links it.</summary>
    public const string DemoWorldFolder = ViewerWriter.DemoWorldFolder;

    private readonly TileMatrixSet _set;
    private readonly int _minZoom;
    private readonly int _maxZoom;

    private ServedRun(TileMatrixSet set, int minZoom, int maxZoom, DemoWorldRenderer? demoWorld)
    {
        _set = set;
        _minZoom = minZoom;
        _maxZoom = maxZoom;
        DemoWorld = demoWorld;
    }

    /// <summary>The demo world when the run scored it, else null.</summary>
    public DemoWorldRenderer? DemoWorld { get; }

    public static ServedRun Load(string folder)
    {
        var web = TileMatrixSet.WebMercatorQuad();
        if (!File.Exists(Path.Combine(folder, ScoreStore.FileName)))
        {
            return new ServedRun(web, 0, web.Matrices.Count - 1, null);
        }

        using var store = ScoreStore.OpenExisting(folder);
        var demo = store.ReadMetadata().GetValueOrDefault("source", string.Empty) == ViewerWriter.DemoWorldSource ? DemoWorldRenderer.Default : null;
        try
        {
            var settings = ProductSettings.Load(store);
            return new ServedRun(settings.MatrixSet, settings.EffectiveMinZoom, settings.Extent.Zoom, demo);
        }
        catch (UrbanScoreException)
        {
            // A run stopped before its product step has no heatmap levels yet: serve the matrix set's whole range.
            return new ServedRun(web, 0, web.Matrices.Count - 1, demo);
        }
    }

    /// <summary>Whether a heatmap tile lies inside the pyramid's levels and its tile matrix.</summary>
    public bool HasHeatmapTile(TileIndex tile)
    {
        if (tile.Zoom < _minZoom || tile.Zoom > _maxZoom || tile.Zoom >= _set.Matrices.Count)
        {
            return false;
        }

        var matrix = _set[tile.Zoom];
        return tile.Col < matrix.MatrixWidth && tile.Row < matrix.MatrixHeight;
    }
}
