using System.Text.Json;
using UrbanScore.Crs;
using UrbanScore.Tiling;

namespace UrbanScore.Storage;

/// <summary>
/// Writes the store as GeoJSON (RFC 7946): a FeatureCollection with one Polygon per tile in EPSG:4326 (the tile's
/// corners, counter-clockwise), properties z, x, y, status, score, p_&lt;label&gt; per label, attempts and reason.
/// Streamed from the store, written atomically.
/// </summary>
internal static class GeoJsonExporter
{
    /// <summary>Default file name inside an output folder.</summary>
    public const string FileName = "scores.geojson";

    /// <summary>Writes the GeoJSON of every stored tile.</summary>
    /// <param name="store">The run's store.</param>
    /// <param name="matrixSet">The tile matrix set the store's tiles are in.</param>
    /// <param name="labels">The model's labels, in score order.</param>
    /// <param name="path">Target file.</param>
    public static void Write(ScoreStore store, TileMatrixSet matrixSet, IReadOnlyList<string> labels, string path)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(matrixSet);
        ArgumentNullException.ThrowIfNull(labels);
        var transform = matrixSet.Epsg is WebMercator.Epsg or 4326 ? null : new Wgs84Transform(matrixSet.Epsg);
        AtomicFile.Write(path, temp =>
        {
            using var stream = File.Create(temp);
            using var json = new Utf8JsonWriter(stream);
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            Span<double> lons = stackalloc double[4];
            Span<double> lats = stackalloc double[4];
            foreach (var tile in store.ReadAll())
            {
                Corners(matrixSet, transform, tile.Tile, lons, lats);
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteStartObject("geometry");
                json.WriteString("type", "Polygon");
                json.WriteStartArray("coordinates");
                json.WriteStartArray();

                // SW, SE, NE, NW, SW: counter-clockwise exterior ring (RFC 7946 §3.1.6).
                foreach (var i in (ReadOnlySpan<int>)[0, 1, 2, 3, 0])
                {
                    json.WriteStartArray();
                    json.WriteNumberValue(Math.Round(lons[i], 8));
                    json.WriteNumberValue(Math.Round(lats[i], 8));
                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteNumber("z", tile.Tile.Zoom);
                json.WriteNumber("x", tile.Tile.Col);
                json.WriteNumber("y", tile.Tile.Row);
                json.WriteString("status", ScoreStore.StatusText(tile.Status));
                if (float.IsNaN(tile.Score))
                {
                    json.WriteNull("score");
                }
                else
                {
                    json.WriteNumber("score", Math.Round(tile.Score, 6));
                }

                for (var i = 0; i < labels.Count; i++)
                {
                    if (i < tile.LabelScores.Length)
                    {
                        json.WriteNumber("p_" + labels[i], Math.Round(tile.LabelScores[i], 6));
                    }
                    else
                    {
                        json.WriteNull("p_" + labels[i]);
                    }
                }

                json.WriteNumber("attempts", tile.Attempts);
                json.WriteString("reason", tile.Reason);
                json.WriteEndObject();
                json.WriteEndObject();
                if (json.BytesPending > 64 * 1024)
                {
                    json.Flush();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static void Corners(TileMatrixSet set, Wgs84Transform? transform, TileIndex tile, Span<double> lons, Span<double> lats)
    {
        if (set.IsWebMercatorQuad)
        {
            var nw = WebMercator.TileNorthWest(tile);
            var se = WebMercator.TileNorthWest(tile with { Col = tile.Col + 1, Row = tile.Row + 1 });
            Set(lons, lats, nw.Lon, se.Lat, se.Lon, nw.Lat);
            return;
        }

        var b = set.TileBounds(tile);
        if (transform is null)
        {
            if (set.Epsg == WebMercator.Epsg)
            {
                transform = new Wgs84Transform(WebMercator.Epsg);
            }
            else
            {
                Set(lons, lats, b.MinX, b.MinY, b.MaxX, b.MaxY);
                return;
            }
        }

        (lons[0], lats[0]) = transform.Inverse(b.MinX, b.MinY);
        (lons[1], lats[1]) = transform.Inverse(b.MaxX, b.MinY);
        (lons[2], lats[2]) = transform.Inverse(b.MaxX, b.MaxY);
        (lons[3], lats[3]) = transform.Inverse(b.MinX, b.MaxY);
    }

    private static void Set(Span<double> lons, Span<double> lats, double west, double south, double east, double north)
    {
        lons[0] = west;
        lats[0] = south;
        lons[1] = east;
        lats[1] = south;
        lons[2] = east;
        lats[2] = north;
        lons[3] = west;
        lats[3] = north;
    }
}
