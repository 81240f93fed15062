using System.Globalization;
using System.Text;
using System.Text.Json;
using UrbanScore.Analysis;
using UrbanScore.Geo;
using UrbanScore.Rendering;
using UrbanScore.Pipeline;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Runs;

/// <summary>
/// <c>urbanscore compare</c>: two runs of the same grid and model (say, imagery of 2015 and of 2025) into
/// <c>change.tif</c> (Float32 COG, one pixel per tile, P(after) − P(before), nodata where either run has no score),
/// the change heatmap (<c>heatmap/{z}/{x}/{y}.png</c> and its pyramid, <c>heatmap.mbtiles</c>, diverging: gained red,
/// lost blue, unchanged transparent), both runs' heatmaps (<c>before/heatmap/</c>, <c>after/heatmap/</c>), a viewer that toggles or
/// swipes between them (<c>index.html</c>) and the urban area gained and lost per region (<c>change.json</c>).
/// Streams both stores in tile order; memory is flat in the size of the runs.
/// </summary>
public static class RunComparison
{
    /// <summary>The change raster.</summary>
    public const string ChangeTif = "change.tif";

    /// <summary>Folder of the change heatmap pyramid ({z}/{x}/{y}.png), where a run keeps its heatmap.</summary>
    public const string ChangeFolder = "heatmap";

    /// <summary>The change heatmap as MBTiles 1.3, where a run keeps its heatmap's.</summary>
    public const string ChangeMbTiles = "heatmap.mbtiles";

    /// <summary>Folder holding the before run's heatmap pyramid under heatmap/ (for the viewer).</summary>
    public const string BeforeFolder = "before";

    /// <summary>Folder holding the after run's heatmap pyramid under heatmap/ (for the viewer).</summary>
    public const string AfterFolder = "after";

    /// <summary>Compares the runs in <paramref name="beforeFolder"/> and <paramref name="afterFolder"/> and writes the products.</summary>
    /// <exception cref="UrbanScoreException">A folder holds no finished run, the runs differ in grid or model, or a bad option.</exception>
    public static ComparisonReport Compare(string beforeFolder, string afterFolder, ComparisonOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(beforeFolder);
        ArgumentNullException.ThrowIfNull(afterFolder);
        ArgumentNullException.ThrowIfNull(options);
        UrbanStatistics.CheckThreshold(options.Threshold);
        var output = Path.GetFullPath(options.OutputFolder);
        if (output == Path.GetFullPath(beforeFolder) || output == Path.GetFullPath(afterFolder))
        {
            throw new UrbanScoreException($"The output folder {options.OutputFolder} is one of the compared runs; give the comparison a folder of its own.")
            { Subject = InputSubject.OutputFolder };
        }

        using var before = ScoreStore.OpenExisting(beforeFolder);
        using var after = ScoreStore.OpenExisting(afterFolder);
        var beforeGrid = RunGrid.Load(before);
        var afterGrid = RunGrid.Load(after);
        var beforeMeta = before.ReadMetadata();
        var afterMeta = after.ReadMetadata();
        CheckComparable(beforeGrid, afterGrid, beforeMeta, afterMeta);

        var set = beforeGrid.MatrixSet;
        var extent = Union(beforeGrid.Extent, afterGrid.Extent);
        var (total, regions) = Measure(before, after, set, extent.Zoom, options, cancellationToken);

        Directory.CreateDirectory(output);
        var outputs = new List<string> { ChangeTif };
        WriteChangeTif(before, after, set, extent, beforeMeta, afterMeta, Path.Combine(output, ChangeTif), cancellationToken);
        var report = new ComparisonReport(options.Threshold, regions, total, outputs);
        if (set.IsWebMercatorQuad)
        {
            outputs.AddRange(WriteMaps(before, after, set, extent, report, beforeMeta, afterMeta, ProductSettings.Load(after), output, cancellationToken));
        }

        outputs.Add(ComparisonReport.FileName);
        AtomicFile.Write(Path.Combine(output, ComparisonReport.FileName), temp => File.WriteAllText(temp, report.ToJson() + "\n", new UTF8Encoding(false)));
        return report;
    }

    private static void CheckComparable(RunGrid before, RunGrid after, IReadOnlyDictionary<string, string> beforeMeta, IReadOnlyDictionary<string, string> afterMeta)
    {
        var beforeModel = beforeMeta.GetValueOrDefault("model_sha256", string.Empty);
        var afterModel = afterMeta.GetValueOrDefault("model_sha256", string.Empty);
        if (!string.Equals(beforeModel, afterModel, StringComparison.OrdinalIgnoreCase))
        {
            throw new UrbanScoreException($"BEFORE and AFTER were scored with different models (sha256 {Short(beforeModel)}… and {Short(afterModel)}…); compare two runs of the same model.");
        }

        var beforeLabel = beforeMeta.GetValueOrDefault("positive_label", string.Empty);
        var afterLabel = afterMeta.GetValueOrDefault("positive_label", string.Empty);
        if (!string.Equals(beforeLabel, afterLabel, StringComparison.OrdinalIgnoreCase))
        {
            throw new UrbanScoreException($"BEFORE scores P({beforeLabel}) and AFTER P({afterLabel}); compare two runs scored with the same positive label.");
        }

        if (before.MatrixSetJson != after.MatrixSetJson || before.Extent.Zoom != after.Extent.Zoom)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"BEFORE and AFTER are on different grids ({before.MatrixSet.Identifier} level {before.Extent.Zoom} and {after.MatrixSet.Identifier} level {after.Extent.Zoom}); score both with the same tile matrix set and zoom."));
        }
    }

    private static string Short(string sha) => sha[..Math.Min(12, sha.Length)];

    private static TileRange Union(TileRange a, TileRange b) => new(
        Zoom: a.Zoom,
        MinCol: Math.Min(a.MinCol, b.MinCol),
        MinRow: Math.Min(a.MinRow, b.MinRow),
        MaxCol: Math.Max(a.MaxCol, b.MaxCol),
        MaxRow: Math.Max(a.MaxRow, b.MaxRow));

    /// <summary>Merge-joins both stores in (row, col) order; tiles scored in both count.</summary>
    private static (RegionChange Total, RegionChange[] Regions) Measure(ScoreStore before, ScoreStore after, TileMatrixSet set, int zoom, ComparisonOptions options, CancellationToken cancellationToken)
    {
        var geometry = new TileGeometry(set, zoom);
        var regions = options.Regions;
        var total = new ChangeAccumulator();
        var perRegion = Enumerable.Range(0, regions?.Count ?? 0).Select(_ => new ChangeAccumulator()).ToArray();
        var parts = new List<(int Region, double SquareMetres)>();
        var threshold = options.Threshold;
        using var a = before.ReadScores(zoom).GetEnumerator();
        using var b = after.ReadScores(zoom).GetEnumerator();
        var hasA = a.MoveNext();
        var hasB = b.MoveNext();
        long n = 0;
        while (hasA && hasB)
        {
            if ((++n & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var ta = a.Current.Tile;
            var tb = b.Current.Tile;
            var order = ta.Row != tb.Row ? ta.Row.CompareTo(tb.Row) : ta.Col.CompareTo(tb.Col);
            if (order < 0)
            {
                hasA = a.MoveNext();
                continue;
            }

            if (order > 0)
            {
                hasB = b.MoveNext();
                continue;
            }

            if (a.Current.Status == TileStatus.Scored && b.Current.Status == TileStatus.Scored)
            {
                var urbanBefore = a.Current.Score >= threshold;
                var urbanAfter = b.Current.Score >= threshold;
                var area = geometry.SquareMetres(ta.Col, ta.Row);
                total.Add(urbanBefore, urbanAfter, area);
                if (regions is not null)
                {
                    UrbanStatistics.SplitTile(regions, geometry, ta.Col, ta.Row, area, parts);
                    foreach (var (region, inside) in parts)
                    {
                        perRegion[region].Add(urbanBefore, urbanAfter, inside);
                    }
                }
            }

            hasA = a.MoveNext();
            hasB = b.MoveNext();
        }

        return (total.ToChange(null), [.. perRegion.Select((r, i) => r.ToChange(regions!.Names[i]))]);
    }

    /// <summary>A row reader of P(after) − P(before) per tile (NaN where either is missing), encoded for the change palette when asked.</summary>
    private static GeoTiffRowReader ChangeRows(ScoreStore before, ScoreStore after, TileRange extent, bool encoded)
    {
        var beforeRow = new float[extent.Width];
        var afterRow = new float[extent.Width];
        return (row, scores) =>
        {
            before.ReadScoreRow(extent.Zoom, row, extent.MinCol, beforeRow);
            after.ReadScoreRow(extent.Zoom, row, extent.MinCol, afterRow);
            for (var i = 0; i < scores.Length; i++)
            {
                var change = afterRow[i] - beforeRow[i]; // NaN when either is NaN
                scores[i] = encoded ? HeatmapPalette.EncodeChange(change) : change;
            }
        };
    }

    private static void WriteChangeTif(ScoreStore before, ScoreStore after, TileMatrixSet set, TileRange extent, IReadOnlyDictionary<string, string> beforeMeta, IReadOnlyDictionary<string, string> afterMeta, string path, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["URBANSCORE_VERSION"] = ProductInfo.Version,
            ["BEFORE_SOURCE"] = beforeMeta.GetValueOrDefault("source", string.Empty),
            ["AFTER_SOURCE"] = afterMeta.GetValueOrDefault("source", string.Empty),
            ["TILE_MATRIX_SET"] = set.Identifier,
            ["ZOOM"] = extent.Zoom.ToString(CultureInfo.InvariantCulture),
            ["MODEL_SHA256"] = afterMeta.GetValueOrDefault("model_sha256", string.Empty),
            ["POSITIVE_LABEL"] = afterMeta.GetValueOrDefault("positive_label", string.Empty),
            ["VALUE"] = "P(after) - P(before)",
        };
        GeoTiffWriter.WriteFloat32(path, new GeoTiffGrid(set, extent, 1), ChangeRows(before, after, extent, encoded: false), metadata, "change", cancellationToken);
    }

    private static IEnumerable<string> WriteMaps(
        ScoreStore before,
        ScoreStore after,
        TileMatrixSet set,
        TileRange extent,
        ComparisonReport report,
        IReadOnlyDictionary<string, string> beforeMeta,
        IReadOnlyDictionary<string, string> afterMeta,
        ProductSettings afterSettings,
        string output,
        CancellationToken cancellationToken)
    {
        var minZoom = HeatmapPyramid.ReachableMinZoom(set, extent.Zoom, Math.Max(0, extent.Zoom - 6));
        var matrix = set[extent.Zoom];
        var (west, south, east, north) = HeatmapLayerInfo.LonLatBounds(set, extent);
        var model = afterMeta.GetValueOrDefault("model_sha256", string.Empty);
        var layer = new HeatmapLayerInfo(
            Name: "UrbanScore change (" + afterMeta.GetValueOrDefault("positive_label", "city") + ")",
            Description: string.Create(CultureInfo.InvariantCulture, $"P(after) - P(before) per tile at level {extent.Zoom}: gained red, lost blue, unchanged transparent; model sha256 {Short(model)}"),
            Attribution: "UrbanScore change; imagery: " + beforeMeta.GetValueOrDefault("source", "unknown source") + " and " + afterMeta.GetValueOrDefault("source", "unknown source"),
            West: west,
            South: south,
            East: east,
            North: north,
            MinZoom: minZoom,
            MaxZoom: extent.Zoom);
        var pyramids = new (string Root, GeoTiffRowReader Rows, HeatmapPalette Palette, bool MbTiles)[]
        {
            (output, ChangeRows(before, after, extent, encoded: true), HeatmapPalette.Change, true),
            (Path.Combine(output, BeforeFolder), (row, s) => before.ReadScoreRow(extent.Zoom, row, extent.MinCol, s), HeatmapPalette.Red, false),
            (Path.Combine(output, AfterFolder), (row, s) => after.ReadScoreRow(extent.Zoom, row, extent.MinCol, s), HeatmapPalette.Red, false),
        };
        var scores = new float[extent.Width];
        foreach (var (root, rows, palette, withMbTiles) in pyramids)
        {
            var tileFolder = Path.Combine(root, HeatmapTileWriter.FolderName);
            if (Directory.Exists(tileFolder))
            {
                Directory.Delete(tileFolder, recursive: true); // ours: a previous comparison's tiles, possibly of another extent
            }

            // The same row pass as a run's products: scored level, pyramid and MBTiles from one read of each row.
            using var scoredLevel = new HeatmapTileWriter(root, matrix.TileWidth, matrix.TileHeight, palette);
            using var mbtiles = withMbTiles ? new MbTilesWriter(root, layer) : null;
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var files = new TileFileQueue(failed);
            var pyramid = new PyramidBuilder(extent, set, minZoom, palette, root, files, mbtiles is null ? null : mbtiles.Add);
            for (var row = extent.MinRow; row <= extent.MaxRow; row++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                scores.AsSpan().Fill(float.NaN);
                rows(row, scores);
                for (var i = 0; i < scores.Length; i++)
                {
                    if (!float.IsNaN(scores[i]))
                    {
                        var tile = new TileIndex(Zoom: extent.Zoom, Col: extent.MinCol + i, Row: row);
                        var level = HeatmapPalette.Level(scores[i]);
                        scoredLevel.Write(tile, level);
                        mbtiles?.Add(tile, scoredLevel.PngOf(level));
                    }
                }

                pyramid.AddRow(row, scores, cancellationToken);
            }

            files.CompleteAdding();
            files.Completion.GetAwaiter().GetResult();
            mbtiles?.Complete();
        }

        ViewerWriter.WriteAssets(output);
        var (imagery, note) = ViewerWriter.Imagery(afterSettings, afterMeta.GetValueOrDefault("source", string.Empty));
        var html = BuildViewer(layer, report, beforeMeta, afterMeta, set, extent, imagery, note);
        AtomicFile.Write(Path.Combine(output, ViewerWriter.FileName), temp => File.WriteAllText(temp, html, new UTF8Encoding(false)));
        return [ChangeFolder + "/", BeforeFolder + "/", AfterFolder + "/", ChangeMbTiles, ViewerWriter.FileName, ViewerWriter.AssetFolder + "/"];
    }

    internal static string BuildViewer(HeatmapLayerInfo layer, ComparisonReport report, IReadOnlyDictionary<string, string> beforeMeta, IReadOnlyDictionary<string, string> afterMeta, TileMatrixSet set, TileRange extent, ViewerImagery? imagery, string note)
    {
        var config = new Dictionary<string, object?>
        {
            ["before"] = BeforeFolder + "/" + HeatmapTileWriter.FolderName + "/{z}/{x}/{y}.png",
            ["after"] = AfterFolder + "/" + HeatmapTileWriter.FolderName + "/{z}/{x}/{y}.png",
            ["change"] = ChangeFolder + "/{z}/{x}/{y}.png",
            ["minZoom"] = layer.MinZoom,
            ["maxZoom"] = layer.MaxZoom,
            ["bounds"] = new[] { new[] { layer.South, layer.West }, new[] { layer.North, layer.East } },
            ["imagery"] = imagery,
        };
        var summary = new StringBuilder();
        foreach (var change in report.Regions.Prepend(report.Total with { Name = "Total" }))
        {
            summary.Append(CultureInfo.InvariantCulture,
                $"    <tr><td class=\"name\">{ViewerWriter.Html(change.Name ?? string.Empty)}</td><td>{change.UrbanKm2Before:0.##}</td><td>{change.UrbanKm2After:0.##}</td><td>{change.GainedUrbanKm2:0.##}</td><td>{change.LostUrbanKm2:0.##}</td></tr>\n");
        }

        var runs = new (string Name, string Value)[]
        {
            ("Before", beforeMeta.GetValueOrDefault("source", "?")),
            ("After", afterMeta.GetValueOrDefault("source", "?")),
            ("Grid", string.Create(CultureInfo.InvariantCulture, $"{set.Identifier} level {extent.Zoom}")),
            ("Model sha256", afterMeta.GetValueOrDefault("model_sha256", "?")),
            ("Score", "P(" + afterMeta.GetValueOrDefault("positive_label", "?") + ")"),
        };
        var runRows = new StringBuilder();
        foreach (var (name, value) in runs)
        {
            runRows.Append("    <tr><th>").Append(ViewerWriter.Html(name)).Append("</th><td class=\"name\">").Append(ViewerWriter.Html(value)).Append("</td></tr>\n");
        }

        var template = ViewerWriter.Template("compare.template.html");
        return template
            .Replace("{{TITLE}}", ViewerWriter.Html(layer.Name), StringComparison.Ordinal)
            .Replace("{{LEGEND_GRADIENT}}", ViewerWriter.LegendGradient(HeatmapPalette.Change), StringComparison.Ordinal)
            .Replace("{{IMAGERY_NOTE}}", ViewerWriter.Html(note), StringComparison.Ordinal)
            .Replace("{{THRESHOLD}}", report.Threshold.ToString("0.###", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{SUMMARY_ROWS}}", summary.ToString().TrimEnd('\n'), StringComparison.Ordinal)
            .Replace("{{RUN_ROWS}}", runRows.ToString().TrimEnd('\n'), StringComparison.Ordinal)
            .Replace("{{CONFIG_JSON}}", JsonSerializer.Serialize(config), StringComparison.Ordinal);
    }
}
