using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Data.Sqlite;
using UrbanScore.Crs;
using UrbanScore.Tiling;

namespace UrbanScore.Storage;

/// <summary>
/// Writes the store as an OGC GeoPackage 1.3 (OGC 12-128r17): one feature table <c>scores</c> of tile polygons in the
/// tile matrix set's own CRS, typed columns z, x, y (MEDIUMINT: the spec's 32-bit integer, so OGR reads Integer rather
/// than Integer64), status (TEXT), score and p_&lt;label&gt; per label (REAL, null where not scored), attempts (MEDIUMINT),
/// reason (TEXT), and the spatial index of the RTree extension (Annex F.3:
/// <c>rtree_scores_geom</c>, registered in gpkg_extensions, with its triggers). Geometries are GeoPackage binary
/// (§2.1.3: header with envelope, then little-endian WKB). Streamed from the store in one transaction, the index filled
/// as rows go in, so memory stays flat for millions of tiles; written to a temporary file and renamed.
/// </summary>
internal static class GeoPackageExporter
{
    /// <summary>Default file name inside an output folder.</summary>
    public const string FileName = "scores.gpkg";

    /// <summary>Name of the feature table.</summary>
    public const string Table = "scores";

    private const string RtreeExtension = "gpkg_rtree_index";

    // EPSG's WKT of WGS 84 / Pseudo-Mercator and WGS 84, as GDAL writes them into gpkg_spatial_ref_sys.
    private const string Wgs84Wkt =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

    private const string WebMercatorWkt =
        "PROJCS[\"WGS 84 / Pseudo-Mercator\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]],PROJECTION[\"Mercator_1SP\"],PARAMETER[\"central_meridian\",0],PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",0],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],AUTHORITY[\"EPSG\",\"3857\"]]";

    /// <summary>Writes the GeoPackage of every stored tile.</summary>
    /// <param name="store">The run's store.</param>
    /// <param name="matrixSet">The tile matrix set the store's tiles are in (its CRS is the table's).</param>
    /// <param name="labels">The model's labels, in score order.</param>
    /// <param name="date">The product date (ISO 8601 UTC) for gpkg_contents.last_change, so a re-export gives the same rows.</param>
    /// <param name="path">Target file.</param>
    /// <param name="cancellationToken">Stops the export; the target is left as it was.</param>
    public static void Write(ScoreStore store, TileMatrixSet matrixSet, IReadOnlyList<string> labels, string date, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(matrixSet);
        ArgumentNullException.ThrowIfNull(labels);
        var epsg = CrsWkt.Canonical(matrixSet.Epsg);
        var wkt = epsg switch
        {
            WebMercator.Epsg => WebMercatorWkt,
            4326 => Wgs84Wkt,
            _ => CrsWkt.Find(epsg) ?? "undefined",
        };
        var labelColumns = labels.Select(l => Quote("p_" + l)).ToArray();
        AtomicFile.Write(path, temp =>
        {
            var builder = new SqliteConnectionStringBuilder { DataSource = temp, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            Execute(connection, "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
            Execute(connection, "BEGIN");
            Execute(connection, """
                CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
                CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
                CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
                CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
                INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
                INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
                """);
            Execute(connection, "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, $wkt, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')", ("$wkt", Wgs84Wkt));
            if (epsg != 4326)
            {
                Execute(connection, "INSERT INTO gpkg_spatial_ref_sys VALUES ($name, $epsg, 'EPSG', $epsg, $wkt, NULL)", ("$name", "EPSG:" + epsg.ToString(CultureInfo.InvariantCulture)), ("$epsg", epsg), ("$wkt", wkt));
            }

            var columns = string.Join(", ", labelColumns.Select(c => c + " REAL"));
            Execute(connection, $"CREATE TABLE {Table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POLYGON, z MEDIUMINT NOT NULL, x MEDIUMINT NOT NULL, y MEDIUMINT NOT NULL, status TEXT NOT NULL, score REAL{(columns.Length > 0 ? ", " + columns : string.Empty)}, attempts MEDIUMINT NOT NULL, reason TEXT)");
            Execute(connection, $"CREATE VIRTUAL TABLE rtree_{Table}_geom USING rtree(id, minx, maxx, miny, maxy)");

            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO {Table} (geom, z, x, y, status, score{string.Concat(labelColumns.Select(c => ", " + c))}, attempts, reason) VALUES ({string.Join(", ", Enumerable.Range(0, 8 + labelColumns.Length).Select(i => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
            var p = new SqliteParameter[8 + labelColumns.Length];
            for (var i = 0; i < p.Length; i++)
            {
                // No SqliteType: each value binds as its own type (blob, integer, real, text or null).
                p[i] = new SqliteParameter { ParameterName = "$p" + i.ToString(CultureInfo.InvariantCulture) };
                insert.Parameters.Add(p[i]);
            }

            using var index = connection.CreateCommand();
            index.CommandText = $"INSERT INTO rtree_{Table}_geom VALUES (last_insert_rowid(), $minx, $maxx, $miny, $maxy)";
            var q = new[] { index.Parameters.Add("$minx", SqliteType.Real), index.Parameters.Add("$maxx", SqliteType.Real), index.Parameters.Add("$miny", SqliteType.Real), index.Parameters.Add("$maxy", SqliteType.Real) };
            insert.Prepare();
            index.Prepare();

            var geometry = new byte[GeometryLength];
            double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
            long rows = 0;
            foreach (var tile in store.ReadAll())
            {
                if ((++rows & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var box = matrixSet.TileBounds(tile.Tile);
                WritePolygon(geometry, epsg, box);
                minX = Math.Min(minX, box.MinX);
                minY = Math.Min(minY, box.MinY);
                maxX = Math.Max(maxX, box.MaxX);
                maxY = Math.Max(maxY, box.MaxY);
                p[0].Value = geometry;
                p[1].Value = tile.Tile.Zoom;
                p[2].Value = tile.Tile.Col;
                p[3].Value = tile.Tile.Row;
                p[4].Value = ScoreStore.StatusText(tile.Status);
                p[5].Value = float.IsNaN(tile.Score) ? DBNull.Value : (double)tile.Score;
                for (var i = 0; i < labelColumns.Length; i++)
                {
                    p[6 + i].Value = i < tile.LabelScores.Length ? (double)tile.LabelScores[i] : DBNull.Value;
                }

                p[6 + labelColumns.Length].Value = tile.Attempts;
                p[7 + labelColumns.Length].Value = (object?)tile.Reason ?? DBNull.Value;
                insert.ExecuteNonQuery();
                q[0].Value = box.MinX;
                q[1].Value = box.MaxX;
                q[2].Value = box.MinY;
                q[3].Value = box.MaxY;
                index.ExecuteNonQuery();
            }

            var empty = rows == 0;
            Execute(
                connection,
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES ($t, 'features', $t, $d, $c, $x0, $y0, $x1, $y1, $epsg)",
                ("$t", Table),
                ("$d", "UrbanScore scores: one polygon per tile"),
                ("$c", date),
                ("$x0", empty ? DBNull.Value : (object)minX),
                ("$y0", empty ? DBNull.Value : (object)minY),
                ("$x1", empty ? DBNull.Value : (object)maxX),
                ("$y1", empty ? DBNull.Value : (object)maxY),
                ("$epsg", epsg));
            Execute(connection, "INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', 'POLYGON', $epsg, 0, 0)", ("$t", Table), ("$epsg", epsg));
            Execute(connection, "INSERT INTO gpkg_extensions VALUES ($t, 'geom', $e, 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')", ("$t", Table), ("$e", RtreeExtension));

            // Annex F.3's triggers keep the index right when a GIS edits the table; created last so they never fire here
            // (their ST_* functions exist only in GeoPackage-aware readers such as GDAL).
            foreach (var trigger in RtreeTriggers(Table, "geom", "fid"))
            {
                Execute(connection, trigger);
            }

            Execute(connection, "COMMIT");
        });
    }

    /// <summary>Bytes of one polygon: 40 (header: magic, version, flags, srs_id, envelope) + 9 + 4 + 5 × 16 (WKB ring).</summary>
    private const int GeometryLength = 8 + 32 + 1 + 4 + 4 + 4 + (5 * 16);

    /// <summary>GeoPackage binary (§2.1.3.1.1): 'GP', version 0, flags 0b0000_0011 (envelope [minx, maxx, miny, maxy], little endian), srs_id, envelope, WKB polygon.</summary>
    private static void WritePolygon(Span<byte> b, int srsId, BoundingBox box)
    {
        b[0] = (byte)'G';
        b[1] = (byte)'P';
        b[2] = 0;
        b[3] = 0b0000_0011;
        BinaryPrimitives.WriteInt32LittleEndian(b[4..], srsId);
        BinaryPrimitives.WriteDoubleLittleEndian(b[8..], box.MinX);
        BinaryPrimitives.WriteDoubleLittleEndian(b[16..], box.MaxX);
        BinaryPrimitives.WriteDoubleLittleEndian(b[24..], box.MinY);
        BinaryPrimitives.WriteDoubleLittleEndian(b[32..], box.MaxY);
        var w = b[40..];
        w[0] = 1; // little endian
        BinaryPrimitives.WriteUInt32LittleEndian(w[1..], 3); // wkbPolygon
        BinaryPrimitives.WriteUInt32LittleEndian(w[5..], 1); // one ring
        BinaryPrimitives.WriteUInt32LittleEndian(w[9..], 5); // closed: five points
        ReadOnlySpan<double> xs = [box.MinX, box.MaxX, box.MaxX, box.MinX, box.MinX];
        ReadOnlySpan<double> ys = [box.MinY, box.MinY, box.MaxY, box.MaxY, box.MinY];
        for (var i = 0; i < 5; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(w[(13 + (i * 16))..], xs[i]);
            BinaryPrimitives.WriteDoubleLittleEndian(w[(21 + (i * 16))..], ys[i]);
        }
    }

    private static IEnumerable<string> RtreeTriggers(string t, string c, string i)
    {
        var r = $"rtree_{t}_{c}";
        var values = $"INSERT OR REPLACE INTO {r} VALUES (NEW.{i}, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));";
        yield return $"CREATE TRIGGER {r}_insert AFTER INSERT ON {t} WHEN (new.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c})) BEGIN {values} END";
        yield return $"CREATE TRIGGER {r}_update1 AFTER UPDATE OF {c} ON {t} WHEN OLD.{i} = NEW.{i} AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c})) BEGIN {values} END";
        yield return $"CREATE TRIGGER {r}_update2 AFTER UPDATE OF {c} ON {t} WHEN OLD.{i} = NEW.{i} AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c})) BEGIN DELETE FROM {r} WHERE id = OLD.{i}; END";
        yield return $"CREATE TRIGGER {r}_update3 AFTER UPDATE ON {t} WHEN OLD.{i} != NEW.{i} AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c})) BEGIN DELETE FROM {r} WHERE id = OLD.{i}; {values} END";
        yield return $"CREATE TRIGGER {r}_update4 AFTER UPDATE ON {t} WHEN OLD.{i} != NEW.{i} AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c})) BEGIN DELETE FROM {r} WHERE id IN (OLD.{i}, NEW.{i}); END";
        yield return $"CREATE TRIGGER {r}_delete AFTER DELETE ON {t} WHEN old.{c} NOT NULL BEGIN DELETE FROM {r} WHERE id = OLD.{i}; END";
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
