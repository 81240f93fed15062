using UrbanScore.Rendering;
using UrbanScore.Storage;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tools.Hosting;

/// <summary>
/// What <see cref="RunFolderServer"/> needs to know about the run it serves, read once from its store: the heatmap's
/// levels and tile matrices (tiles outside them are 404) and whether its imagery is the demo world (then the server
/// renders that imagery itself). A folder without a store (copied without scores.sqlite), or whose run stopped before
/// its product step, is served with web mercator levels 0..30.
/// </summary>
internal sealed class ServedRun
{
    /// <summary>URL folder of the demo world's imagery, as <see cref="ViewerWriter"/> links it.</summary>
    public const string DemoWorldFolder = ViewerWriter.DemoWorldFolder;

    private readonly HeatmapLevels _levels;

    private ServedRun(HeatmapLevels levels, DemoWorldRenderer? demoWorld)
    {
        _levels = levels;
        DemoWorld = demoWorld;
    }

    /// <summary>The demo world when the run scored it, else null.</summary>
    public DemoWorldRenderer? DemoWorld { get; }

    public static ServedRun Load(string folder)
    {
        var web = TileMatrixSet.WebMercatorQuad();
        var everyLevel = new HeatmapLevels(web, 0, web.Matrices.Count - 1);
        if (!File.Exists(Path.Combine(folder, ScoreStore.FileName)))
        {
            return new ServedRun(everyLevel, null);
        }

        using var store = ScoreStore.OpenExisting(folder);
        var demo = store.TryReadIdentity()?.Source == ViewerWriter.DemoWorldSource ? DemoWorldRenderer.Default : null;
        return new ServedRun(HeatmapLevels.Read(store) ?? everyLevel, demo);
    }

    /// <summary>Whether a heatmap tile lies inside the pyramid's levels and its tile matrix.</summary>
    public bool HasHeatmapTile(TileIndex tile) => _levels.Contains(tile);
}
