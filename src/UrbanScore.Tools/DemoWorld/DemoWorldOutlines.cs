using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using UrbanScore.Tiling;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// The demo world's exact urban outlines as GeoJSON (<c>urbanscore demo-world outlines</c>): the outlines of the
/// <see cref="LandCover.Urban"/> pixels of every tile of an area at one zoom, traced pixel edge by pixel edge, so
/// the share of a tile of that zoom inside them is exactly its <see cref="DemoWorldRenderer.UrbanFraction"/> in the
/// world's <see cref="DemoWorldRenderer.Year"/> (the towns grow year by year). At
/// deeper zooms they are that zoom's view of the towns (detail finer than one of its pixels is missing).
/// </summary>
public static class DemoWorldOutlines
{
    /// <summary>Most tiles an export may cover (memory is one byte per pixel corner: 64 MiB at this size).</summary>
    public const int MaxTiles = 1024;

    /// <summary>Writes the outlines of <paramref name="area"/> at <paramref name="zoom"/> to <paramref name="path"/> (a FeatureCollection of one MultiPolygon).</summary>
    /// <returns>Polygons written and their urban pixels.</returns>
    /// <exception cref="UrbanScoreException">A zoom outside the world, an area crossing the antimeridian, or more than <see cref="MaxTiles"/> tiles.</exception>
    public static (int Polygons, long UrbanPixels) Write(DemoWorldRenderer world, BoundingBox area, int zoom, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(path);
        if (zoom is < 0 or > DemoWorldRenderer.MaxZoom)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--zoom {zoom} is outside the demo world's 0..{DemoWorldRenderer.MaxZoom}; choose the zoom whose pixels the outlines follow, e.g. 12."));
        }

        var ranges = TileCover.ForBoundingBox(area, TileMatrixSet.WebMercatorQuad(), zoom);
        if (ranges.Count != 1)
        {
            throw new UrbanScoreException("The --bbox crosses the antimeridian; export each side as its own box.");
        }

        var range = ranges[0];
        if (range.Count > MaxTiles)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"The --bbox holds {range.Count} tiles at zoom {zoom}, more than {MaxTiles}; choose a lower --zoom (outlines then follow coarser pixels) or a smaller box."));
        }

        const int size = WebMercator.TileSize;
        var width = range.Width * size;
        var tracer = new PixelOutlineTracer(width, range.Height * size);
        var classes = new LandCover[range.Width][];
        var urban = new bool[size][];
        for (var j = 0; j < size; j++)
        {
            urban[j] = new bool[width];
        }

        long urbanPixels = 0;
        for (var row = range.MinRow; row <= range.MaxRow; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tileRow = row;
            Parallel.For(0, range.Width, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var cover = classes[i] ??= new LandCover[size * size];
                world.Classify(new TileIndex(Zoom: zoom, Col: range.MinCol + i, Row: tileRow), cover);
                for (var j = 0; j < size; j++)
                {
                    for (var k = 0; k < size; k++)
                    {
                        urban[j][(i * size) + k] = cover[(j * size) + k] == LandCover.Urban;
                    }
                }
            });
            for (var j = 0; j < size; j++)
            {
                urbanPixels += urban[j].Count(u => u);
                tracer.AddRow(urban[j]);
            }
        }

        var polygons = Assemble(tracer.Rings());
        using (var stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            var originX = (long)range.MinCol * size;
            var originY = (long)range.MinRow * size;
            var worldPixels = (double)size * (1L << zoom);
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WriteStartObject("properties");
            json.WriteString("name", "urban");
            json.WriteString("source", "UrbanScore demo world");
            json.WriteNumber("zoom", zoom);
            json.WriteNumber("year", world.Year);
            json.WriteString("rule", "urban pixels of this zoom, 4-connected");
            json.WriteEndObject();
            json.WriteStartObject("geometry");
            json.WriteString("type", "MultiPolygon");
            json.WriteStartArray("coordinates");
            foreach (var polygon in polygons)
            {
                json.WriteStartArray();
                foreach (var ring in polygon)
                {
                    json.WriteStartArray();
                    foreach (var (x, y) in ring)
                    {
                        // Pixel corner → degrees: the tile formula of WebMercator.TileNorthWest with fractional tiles.
                        var lon = ((originX + x) / worldPixels * 360.0) - 180.0;
                        var lat = Math.Atan(Math.Sinh(Math.PI * (1.0 - (2.0 * (originY + y) / worldPixels)))) * 180.0 / Math.PI;
                        json.WriteStartArray();
                        json.WriteRawValue(lon.ToString("0.#########", CultureInfo.InvariantCulture));
                        json.WriteRawValue(lat.ToString("0.#########", CultureInfo.InvariantCulture));
                        json.WriteEndArray();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return (polygons.Count, urbanPixels);
    }

    /// <summary>Groups rings into polygons: each shell (positive area, y down) with the holes whose inside lies in it and in no smaller shell.</summary>
    internal static List<List<(int X, int Y)[]>> Assemble(List<(int X, int Y)[]> rings)
    {
        var factory = new GeometryFactory();
        var shells = new List<(List<(int X, int Y)[]> Rings, double Area, IPointOnGeometryLocator Locator)>();
        var index = new STRtree<int>();
        var holes = new List<(int X, int Y)[]>();
        foreach (var ring in rings)
        {
            var area = SignedArea(ring);
            if (area > 0)
            {
                var polygon = factory.CreatePolygon([.. ring.Select(p => new Coordinate(p.X, p.Y))]);
                index.Insert(polygon.EnvelopeInternal, shells.Count);
                shells.Add(([ring], area, new IndexedPointInAreaLocator(polygon)));
            }
            else
            {
                holes.Add(ring);
            }
        }

        index.Build();
        foreach (var hole in holes)
        {
            // A point inside the hole: half a pixel to the left of its first edge (the unset side).
            var (a, b) = (hole[0], hole[1]);
            var (dx, dy) = (Math.Sign(b.X - a.X), Math.Sign(b.Y - a.Y));
            var inside = new Coordinate(((a.X + b.X) / 2.0) + (dy * 0.5), ((a.Y + b.Y) / 2.0) - (dx * 0.5));
            var owner = -1;
            foreach (var candidate in index.Query(new Envelope(inside)))
            {
                if (shells[candidate].Locator.Locate(inside) == Location.Interior && (owner < 0 || shells[candidate].Area < shells[owner].Area))
                {
                    owner = candidate;
                }
            }

            if (owner >= 0)
            {
                shells[owner].Rings.Add(hole);
            }
        }

        return [.. shells.Select(s => s.Rings)];
    }

    private static double SignedArea((int X, int Y)[] ring)
    {
        var sum = 0.0;
        for (var i = 0; i + 1 < ring.Length; i++)
        {
            sum += ((double)ring[i].X * ring[i + 1].Y) - ((double)ring[i + 1].X * ring[i].Y);
        }

        return sum / 2;
    }
}
