using System.Globalization;
using UrbanScore.Rendering;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Runs;

/// <summary>
/// The last step of a run and of a merge: every product rendered from the store (scores.csv, the heatmap pyramid,
/// GeoTIFFs, MBTiles, the viewer), then run.json. One place, so a merged run and a single run write the same files.
/// </summary>
internal static class RunOutputs
{
    /// <summary>Renders the products of <paramref name="store"/> and writes run.json; returns its path.</summary>
    public static async Task<string> WriteAsync(
        ScoreStore store,
        RunIdentity identity,
        TileMatrixSet set,
        TileRange extent,
        string outputFolder,
        ProductOptions products,
        Func<RunCounts, RunRecord> record,
        CancellationToken cancellationToken)
    {
        var outputs = new List<string> { ScoreStore.FileName, CsvExporter.FileName, HeatmapTileWriter.FolderName + "/" };
        CsvExporter.Write(store, identity.Labels, Path.Combine(outputFolder, CsvExporter.FileName));
        outputs.AddRange(ProductWriters.Write(store, set, extent, outputFolder, products, cancellationToken));

        // The record is asked for after the products, so its wall time covers them.
        var (scored, empty, failed) = store.CountByStatus();
        var run = record(new RunCounts(Planned: 0, Scored: scored, Empty: empty, Failed: failed, Skipped: 0));
        var manifest = new RunManifest
        {
            Command = run.Command is null ? null : Sources.SecretRedactor.Redact(run.Command),
            Source = identity.Source,
            TileMatrixSet = identity.TileMatrixSet + " (EPSG:" + identity.Epsg.ToString(CultureInfo.InvariantCulture) + ")",
            Epsg = identity.Epsg,
            Model = run.Model,
            ModelSha256 = identity.ModelSha256,
            Labels = identity.Labels,
            PositiveLabel = identity.PositiveLabel,
            Zoom = run.Zoom,
            Area = run.Area,
            Bbox = run.Bbox,
            Tiles = run.Counts,
            StartedUtc = run.StartedUtc,
            WallSeconds = run.WallSeconds,
            TilesPerSecond = run.TilesPerSecond,
            PeakRssMiB = run.PeakRssMiB,
            Outputs = [.. outputs, RunManifest.FileName],
        };
        var path = Path.Combine(outputFolder, RunManifest.FileName);
        await manifest.WriteAsync(path, cancellationToken).ConfigureAwait(false);
        return path;
    }
}
