using System.Globalization;
using UrbanScore.Crs;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>What the heatmap layer descriptions (MBTiles metadata, TileJSON, WMTS, viewer) say about the layer.</summary>
internal sealed record HeatmapLayerInfo(
    string Name,
    string Description,
    string Attribution,
    double West,
    double South,
    double East,
    double North,
    int MinZoom,
    int MaxZoom)
{
    public double CenterLon => (West + East) / 2;

    public double CenterLat => (South + North) / 2;

    /// <summary>A zoom that shows the whole extent comfortably: two levels above the scored one, within the pyramid.</summary>
    public int CenterZoom => Math.Max(MinZoom, MaxZoom - 2);

    /// <summary>The layer of a run: extent in WGS 84 degrees from the tile grid, description from the run's identity.</summary>
    public static HeatmapLayerInfo Create(ProductSettings settings, RunIdentity identity, int minZoom)
    {
        var (west, south, east, north) = LonLatBounds(settings.MatrixSet, settings.Extent);
        var positive = identity.PositiveLabel;
        var model = identity.ModelSha256;
        return new HeatmapLayerInfo(
            Name: "UrbanScore heatmap (" + positive + ")",
            Description: string.Create(CultureInfo.InvariantCulture, $"P({positive}) per tile at level {settings.Extent.Zoom}, colour map {settings.Colormap}, model sha256 {model[..Math.Min(12, model.Length)]}"),
            Attribution: "UrbanScore heatmap; imagery: " + identity.Source,
            West: west,
            South: south,
            East: east,
            North: north,
            MinZoom: minZoom,
            MaxZoom: settings.Extent.Zoom);
    }

    /// <summary>Bounds of a tile range in WGS 84 degrees (corners and edge midpoints transformed for other CRSs).</summary>
    public static (double West, double South, double East, double North) LonLatBounds(TileMatrixSet set, TileRange extent)
    {
        var matrix = set[extent.Zoom];
        var nw = matrix.TileBounds(extent.MinCol, extent.MinRow);
        var se = matrix.TileBounds(extent.MaxCol, extent.MaxRow);
        if (set.IsWebMercatorQuad)
        {
            var a = WebMercator.TileNorthWest(new TileIndex(Zoom: extent.Zoom, Col: extent.MinCol, Row: extent.MinRow));
            var b = WebMercator.TileNorthWest(new TileIndex(Zoom: extent.Zoom, Col: extent.MaxCol + 1, Row: extent.MaxRow + 1));
            return (a.Lon, b.Lat, b.Lon, a.Lat);
        }

        var box = new BoundingBox(MinX: nw.MinX, MinY: se.MinY, MaxX: se.MaxX, MaxY: nw.MaxY);
        return TransformBox(set.Epsg, box);
    }

    /// <summary>A box in <paramref name="epsg"/> to WGS 84 degrees, sampling 9 points per edge.</summary>
    public static (double West, double South, double East, double North) TransformBox(int epsg, BoundingBox box)
    {
        if (epsg == 4326)
        {
            return (box.MinX, box.MinY, box.MaxX, box.MaxY);
        }

        var transform = new Wgs84Transform(epsg);
        double west = double.MaxValue, south = double.MaxValue, east = double.MinValue, north = double.MinValue;
        for (var i = 0; i <= 8; i++)
        {
            var t = i / 8.0;
            foreach (var (x, y) in new[]
            {
                (box.MinX + ((box.MaxX - box.MinX) * t), box.MinY),
                (box.MinX + ((box.MaxX - box.MinX) * t), box.MaxY),
                (box.MinX, box.MinY + ((box.MaxY - box.MinY) * t)),
                (box.MaxX, box.MinY + ((box.MaxY - box.MinY) * t)),
            })
            {
                var (lon, lat) = transform.Inverse(x, y);
                west = Math.Min(west, lon);
                east = Math.Max(east, lon);
                south = Math.Min(south, lat);
                north = Math.Max(north, lat);
            }
        }

        return (west, south, east, north);
    }
}
