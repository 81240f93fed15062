using System.Globalization;
using UrbanScore.Analysis;
using UrbanScore.Geo;
using UrbanScore.Pipeline;
using UrbanScore.Runs;
using UrbanScore.Storage;
using UrbanScore.Tiling;
using UrbanScore.Wmts;

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
            // Record the demo world as the source, not the loopback port that is gone when the demo ends.
            run.WrapSource(source => new DemoWorldTileSource(source));
            result = await run.RunAsync(progress, cancellationToken).ConfigureAwait(false);
        }

        var evaluation = Evaluate(world, scoreRequest.OutputFolder, cancellationToken);
        return (result, evaluation);
    }

    /// <summary>
    /// <c>demo --compare</c>: serves the demo world with its WMTS <c>Time</c> dimension, scores it for
    /// <paramref name="beforeYear"/> and <paramref name="afterYear"/> through the RESTful <c>{Time}</c> template into
    /// <c>{outputFolder}/{year}</c>, compares the two runs into <c>{outputFolder}/compare</c>, and measures the world's
    /// exact truth over the same tiles.
    /// </summary>
    /// <param name="request">Builds one year's request from the demo world's WMTS capabilities URL, the layer choice
    /// (with its <c>Time</c>) and that year's output folder (area, zoom, model).</param>
    /// <param name="outputFolder">Parent folder of the two runs and the comparison.</param>
    /// <param name="beforeYear">The earlier year, one of <see cref="DemoWorldRenderer.ServedYears"/>.</param>
    /// <param name="afterYear">The later year, one of <see cref="DemoWorldRenderer.ServedYears"/>.</param>
    /// <param name="progress">Progress of each run, or null.</param>
    /// <param name="cancellationToken">Stops the runs.</param>
    /// <exception cref="UrbanScoreException">A year is not served, or the years are equal.</exception>
    public static async Task<DemoComparison> CompareAsync(
        Func<string, WmtsSelectionChoice, string, ScoreRequest> request,
        string outputFolder,
        int beforeYear,
        int afterYear,
        IProgress<PipelineProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var year in new[] { beforeYear, afterYear })
        {
            if (!DemoWorldRenderer.ServedYears.Contains(year))
            {
                throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--compare year {year} is not served by the demo world; give two of {DemoWorldRenderer.ServedYears[0]}..{DemoWorldRenderer.ServedYears[^1]}, e.g. --compare 2015,2025."));
            }
        }

        if (beforeYear == afterYear)
        {
            throw new UrbanScoreException("--compare needs two different years, e.g. --compare 2015,2025.");
        }

        await using var server = await DemoWorldServer.StartAsync(DemoWorldRenderer.Default, 0, cancellationToken).ConfigureAwait(false);
        var results = new List<ScoreJobResult>(2);
        foreach (var year in new[] { beforeYear, afterYear })
        {
            // The RESTful template with {Time}: the path a WMTS client of a dated imagery service takes.
            var choice = new WmtsSelectionChoice
            {
                Layer = WmtsCapabilitiesDocument.Layer,
                Dimensions = [new(WmtsCapabilitiesDocument.TimeDimension, year.ToString(CultureInfo.InvariantCulture))],
                Encoding = WmtsEncoding.Rest,
            };
            var scoreRequest = request(server.CapabilitiesUri.AbsoluteUri, choice, Path.Combine(outputFolder, year.ToString(CultureInfo.InvariantCulture)));
            using var run = await ScoreRun.OpenAsync(scoreRequest, cancellationToken).ConfigureAwait(false);
            results.Add(await run.RunAsync(progress, cancellationToken).ConfigureAwait(false));
        }

        var beforeFolder = Path.Combine(outputFolder, beforeYear.ToString(CultureInfo.InvariantCulture));
        var afterFolder = Path.Combine(outputFolder, afterYear.ToString(CultureInfo.InvariantCulture));
        var report = RunComparison.Compare(beforeFolder, afterFolder, new ComparisonOptions { OutputFolder = Path.Combine(outputFolder, "compare") }, cancellationToken);
        var truth = TrueChange(beforeFolder, afterFolder, DemoWorldRenderer.ForYear(beforeYear), DemoWorldRenderer.ForYear(afterYear), cancellationToken);
        return new DemoComparison(beforeYear, afterYear, results[0], results[1], report, truth);
    }

    /// <summary>
    /// The world's exact change over the tiles scored in both runs: a tile is urban in a year when
    /// <see cref="DemoWorldRenderer.IsUrban"/> says so; areas on the WGS 84 ellipsoid as <c>compare</c> measures them.
    /// </summary>
    public static RegionChange TrueChange(string beforeFolder, string afterFolder, DemoWorldRenderer beforeWorld, DemoWorldRenderer afterWorld, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(beforeWorld);
        ArgumentNullException.ThrowIfNull(afterWorld);
        using var before = ScoreStore.OpenExisting(beforeFolder);
        using var after = ScoreStore.OpenExisting(afterFolder);
        var set = TileMatrixSet.WebMercatorQuad(DemoWorldRenderer.MaxZoom);
        var zoom = before.Extents()[0].Zoom;
        var scoredBefore = before.ReadAll().Where(t => t.Tile.Zoom == zoom && t.Status == TileStatus.Scored).Select(t => t.Tile).ToHashSet();
        var common = after.ReadAll().Where(t => t.Tile.Zoom == zoom && t.Status == TileStatus.Scored && scoredBefore.Contains(t.Tile)).Select(t => t.Tile).ToArray();
        var truth = new (bool Before, bool After)[common.Length];
        Parallel.For(0, common.Length, new ParallelOptions { CancellationToken = cancellationToken }, i => truth[i] = (beforeWorld.IsUrban(common[i]), afterWorld.IsUrban(common[i])));
        var geometry = new TileGeometry(set, zoom);
        double urbanBefore = 0, urbanAfter = 0, gained = 0, lost = 0;
        for (var i = 0; i < common.Length; i++)
        {
            var area = geometry.SquareMetres(common[i].Col, common[i].Row) / 1e6;
            var (b, a) = truth[i];
            urbanBefore += b ? area : 0;
            urbanAfter += a ? area : 0;
            gained += a && !b ? area : 0;
            lost += b && !a ? area : 0;
        }

        return new RegionChange(null, common.Length, urbanBefore, urbanAfter, gained, lost);
    }

    /// <summary>Formats a comparison next to the world's truth for people.</summary>
    public static string Describe(DemoComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var (m, t) = (comparison.Report.Total, comparison.Truth);
        return string.Create(CultureInfo.InvariantCulture,
            $"change {comparison.BeforeYear} → {comparison.AfterYear} over {m.Tiles} tiles: gained {m.GainedUrbanKm2:0.00} km² (world's truth {t.GainedUrbanKm2:0.00} km²), lost {m.LostUrbanKm2:0.00} km² (truth {t.LostUrbanKm2:0.00} km²); urban {m.UrbanKm2Before:0.00} → {m.UrbanKm2After:0.00} km² (truth {t.UrbanKm2Before:0.00} → {t.UrbanKm2After:0.00} km²)");
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
