using System.Globalization;
using Microsoft.Data.Sqlite;
using UrbanScore.Runs;
using UrbanScore.Storage;
using UrbanScore.Tests.Rendering;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Storage;

/// <summary><c>export --format gpkg</c> and scores.csvt, read back by GDAL's own drivers (ogrinfo).</summary>
public sealed class GeoPackageExportTests : IDisposable
{
    private readonly string _out = ProductRun.NewFolder();

    public GeoPackageExportTests()
    {
        // 2 × 2 z10 tiles: two scored, one empty, one failed.
        ProductRun.HandStore(_out, 512, 300, new[,] { { 0.5f, 0.25f }, { float.NaN, -1f } }, minZoom: 8);
    }

    public void Dispose() => ProductRun.Delete(_out);

    [Fact]
    public async Task Export_Gpkg_OgrinfoReadsTypedColumnsPolygonsInTheMatrixCrsAndSpatialIndex()
    {
        var ogrinfo = ExternalTool.Require("ogrinfo", "gdal-bin");

        var (exit, stdout, stderr) = await CliRun.RunAsync("export", "--out", _out, "--format", "gpkg");
        var gpkg = Path.Combine(_out, "scores.gpkg");
        var (infoExit, info, infoError) = ExternalTool.Run(ogrinfo, ["-so", "-al", gpkg]);
        var (indexExit, index, indexError) = ExternalTool.Run(ogrinfo, [gpkg, "-sql", "SELECT HasSpatialIndex('scores', 'geom')", "-q"]);
        var (featureExit, feature, featureError) = ExternalTool.Run(ogrinfo, [gpkg, "scores", "-where", "x = 513 AND y = 300", "-q"]);
        var tile = TileMatrixSet.WebMercatorQuad()[10].TileBounds(513, 300);
        var (spatialExit, spatial, _) = ExternalTool.Run(ogrinfo, [gpkg, "scores", "-so", "-spat", F(tile.MinX + 1), F(tile.MinY + 1), F(tile.MaxX - 1), F(tile.MaxY - 1)]);

        Assert.True(exit == 0, stderr + stdout);
        Assert.True(infoExit == 0 && indexExit == 0 && featureExit == 0 && spatialExit == 0, infoError + indexError + featureError);
        Assert.Contains("Geometry: Polygon", info, StringComparison.Ordinal);
        Assert.Contains("Feature Count: 4", info, StringComparison.Ordinal);
        Assert.Contains("Pseudo-Mercator", info, StringComparison.Ordinal);
        foreach (var (column, type) in new[] { ("z", "Integer"), ("x", "Integer"), ("y", "Integer"), ("status", "String"), ("score", "Real"), ("p_city", "Real"), ("p_not_city", "Real"), ("attempts", "Integer"), ("reason", "String") })
        {
            Assert.Matches($@"(?m)^{column}: {type} ", info);
        }

        Assert.Contains("HasSpatialIndex (Integer) = 1", index, StringComparison.Ordinal);
        Assert.Contains("status (String) = scored", feature, StringComparison.Ordinal);
        Assert.Contains("score (Real) = 0.25", feature, StringComparison.Ordinal);
        var corner = System.Text.RegularExpressions.Regex.Match(feature, @"POLYGON \(\((?<x>-?[\d.e+]+) (?<y>-?[\d.e+]+)");
        Assert.True(corner.Success, feature);
        Assert.Equal(tile.MinX, double.Parse(corner.Groups["x"].Value, CultureInfo.InvariantCulture), 3);
        Assert.Equal(tile.MinY, double.Parse(corner.Groups["y"].Value, CultureInfo.InvariantCulture), 3);
        Assert.Contains("Feature Count: 1", spatial, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_Gpkg_ApplicationIdRtreeExtensionAndNullScoresForUnscoredTiles()
    {
        var gpkg = RunExporter.Export(_out, "gpkg");

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = gpkg, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        Assert.Equal(0x47504B47L, Scalar(connection, "PRAGMA application_id"));
        Assert.Equal("gpkg_rtree_index", Scalar(connection, "SELECT extension_name FROM gpkg_extensions WHERE table_name = 'scores' AND column_name = 'geom'"));
        Assert.Equal(4L, Scalar(connection, "SELECT count(*) FROM rtree_scores_geom"));
        Assert.Equal(3857L, Scalar(connection, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'scores'"));
        Assert.Equal(2L, Scalar(connection, "SELECT count(*) FROM scores WHERE score IS NULL AND p_city IS NULL"));
        Assert.Equal("failed", Scalar(connection, "SELECT status FROM scores WHERE x = 513 AND y = 301"));
        Assert.Equal("test", Scalar(connection, "SELECT reason FROM scores WHERE x = 513 AND y = 301"));
    }

    [Fact]
    public void ScoresCsv_Ogrinfo_ReadsTypedColumnsFromCsvt()
    {
        var ogrinfo = ExternalTool.Require("ogrinfo", "gdal-bin");
        var csv = RunExporter.Export(_out, "csv");

        var (exit, info, error) = ExternalTool.Run(ogrinfo, ["-so", "-al", csv]);

        Assert.True(exit == 0, error);
        Assert.Equal("Integer,Integer,Integer,String,Real,Real,Real,Integer,String\n", File.ReadAllText(csv + "t"));
        foreach (var (column, type) in new[] { ("z", "Integer"), ("x", "Integer"), ("score", "Real"), ("p_city", "Real"), ("attempts", "Integer"), ("status", "String") })
        {
            Assert.Matches($@"(?m)^{column}: {type} ", info);
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
