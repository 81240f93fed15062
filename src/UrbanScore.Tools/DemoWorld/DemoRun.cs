using System.Globalization;
using UrbanScore.Geo;
using UrbanScore.Pipeline;
using UrbanScore.Runs;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// The whole workflow offline: serves the synthetic demo world on loopback, scores an area with a model through the
/// real pipeline (HTTP, decode, batch, ONNX Runtime), writes every output of <c>score</c>, and evaluates the scores
/// against the world's exact ground truth.
/// </summary>
public static class DemoRun
{
    /// <summary>The default area: the Rhine–Ruhr region (Germany), dozens of real cities, 6,808 tiles at z14.</summary>
    public static BoundingBox DefaultArea { get; } = new(MinX: 6.0, MinY: 51.0, MaxX: 8.0, MaxY: 52.0);

    /// <summary>Default zoom of the demo.</summary>
    public const int DefaultZoom = 14;

    /// <summary>File name of the default model.</summary>
    public const string DefaultModelFileName = "urbanscore-demo.onnx";

    /// <summary>
    /// Finds the default model: beside the application (<c>models/</c> in the tool's folder), or in a <c>models/</c>
    /// folder of the current directory or one of its parents (a clone of the repository). Null when absent.
    /// </summary>
    public static string? FindDefaultModel()
    {
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, "models", DefaultModelFileName) };
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "models", DefaultModelFileName));
        }

        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// A centred square of at most <paramref name="maxTiles"/> tiles of <paramref name="area"/> at
    /// <paramref name="zoom"/>, or the area itself when it is small enough.
    /// </summary>
    public static BoundingBox LimitArea(BoundingBox area, int zoom, long maxTiles)
    {
        var range = TileCover.ForBoundingBox(area, TileMatrixSet.WebMercatorQuad(), zoom)[0];
        if (maxTiles <= 0 || range.Count <= maxTiles)
        {
            return area;
        }

        var side = Math.Max(1, (int)Math.Floor(Math.Sqrt(maxTiles)));
        var width = Math.Min(side, range.Width);
        var height = (int)Math.Min(range.Height, maxTiles / width);
        var minCol = range.MinCol + ((range.Width - width) / 2);
        var minRow = range.MinRow + ((range.Height - height) / 2);
        var nw = WebMercator.TileNorthWest(new TileIndex(Zoom: zoom, Col: minCol, Row: minRow));
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: zoom, Col: minCol + width, Row: minRow + height));

        // Pull the box a hair inside the tile edges so the cover is exactly width × height tiles.
        const double inset = 1e-9;
        return new BoundingBox(MinX: nw.Lon + inset, MinY: se.Lat + inset, MaxX: se.Lon - inset, MaxY: nw.Lat - inset);
    }

    /// <summary>
    /// Runs the demo: serves the world on loopback and scores <paramref name="request"/>'s area from it through
    /// <see cref="ScoreRun"/>, the composition <c>score</c> uses, then evaluates the scores.
    /// </summary>
    /// <param name="request">Builds the request from the demo world's XYZ template (area, zoom, model, output folder).</param>
    /// <param name="progress">Progress, or null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<(ScoreJobResult Result, DemoEvaluation Evaluation)> RunAsync(
        Func<string, ScoreRequest> request,
        IProgress<PipelineProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var world = DemoWorldRenderer.Default;
        await using var server = await DemoWorldServer.StartAsync(world, 0, cancellationToken).ConfigureAwait(false);
        var scoreRequest = request(server.XyzTemplate);
        ScoreJobResult result;
        using (var run = await ScoreRun.OpenAsync(scoreRequest, cancellationToken).ConfigureAwait(false))
        {
            result = await run.RunAsync(progress, cancellationToken).ConfigureAwait(false);
        }

        var evaluation = Evaluate(world, scoreRequest.OutputFolder, cancellationToken);
        return (result, evaluation);
    }

    /// <summary>Compares the scores in an output folder with the world's ground truth (urban fraction ≥ 0.5).</summary>
    public static DemoEvaluation Evaluate(DemoWorldRenderer world, string outputFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(world);
        using var store = ScoreStore.OpenExisting(outputFolder);
        var scored = store.ReadAll().Where(t => t.Status == TileStatus.Scored).ToArray();
        var truths = new bool[scored.Length];
        Parallel.For(0, scored.Length, new ParallelOptions { CancellationToken = cancellationToken }, i => truths[i] = world.IsUrban(scored[i].Tile));
        return DemoEvaluation.Compute([.. scored.Select(t => t.Score)], truths);
    }

    /// <summary>Formats an evaluation for people.</summary>
    public static string Describe(DemoEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return string.Create(CultureInfo.InvariantCulture,
            $"accuracy {evaluation.Accuracy:P1} at P(city) > 0.5, ROC-AUC {evaluation.RocAuc:0.000} against the demo world's ground truth ({evaluation.Urban} urban of {evaluation.Tiles} tiles)");
    }

    /// <summary>An area for the demo from a box (validates it).</summary>
    public static Area AreaOf(BoundingBox box) => new BoxArea(box);
}
