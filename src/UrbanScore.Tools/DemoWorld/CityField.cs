using UrbanScore.Tiling;
using UrbanScore.Tools.Cities;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// The cities of the demo world in EPSG:3857 metres: a uniform grid over the square world (each city listed in
/// every cell its kernel reaches) so a tile only visits the few cities near it, and a coarse "continent" raster
/// that turns the neighbourhood of cities into land. Immutable after construction, thread-safe.
/// </summary>
internal sealed class CityField
{
    /// <summary>Grid cells per world side (2^9: cells of ~78 km at the equator).</summary>
    private const int GridSize = 512;

    /// <summary>Continent raster cells per world side (2^10: ~39 km at the equator).</summary>
    private const int RasterSize = 1024;

    /// <summary>People per km² of built-up area used to size a city (a typical urban density).</summary>
    private const double PeoplePerSquareKm = 4000;

    /// <summary>The kernel is cut off at this many radii (exp(-9) of the peak).</summary>
    public const double CutoffRadii = 3;

    private const double World = 2 * WebMercator.HalfCircumference;

    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _radius;
    private readonly int[] _cellStart;
    private readonly int[] _cellItems;
    private readonly float[] _continent;

    /// <summary>Radius growth per year: between 1 % and 3 % per city (a hash of its index), compounded from the default year.</summary>
    private const double MinGrowthPerYear = 0.01;

    private const double GrowthSpreadPerYear = 0.02;

    /// <summary>Indexes the cities as they are in <paramref name="year"/>: each city's radius grows (or, before the default year, shrinks) by its own yearly rate.</summary>
    public CityField(CityCatalog catalog, int year)
    {
        var count = catalog.Count;
        _x = new double[count];
        _y = new double[count];
        _radius = new double[count];
        var perCell = new List<int>?[GridSize * GridSize];
        _continent = new float[RasterSize * RasterSize];
        for (var i = 0; i < count; i++)
        {
            var city = catalog.Cities[i];
            var lat = Math.Clamp(city.Location.Lat, -84, 84);
            var scale = 1 / Math.Cos(lat * Math.PI / 180);
            _x[i] = WebMercator.HalfCircumference * WebMercator.WrapLongitude(city.Location.Lon) / 180;
            _y[i] = WebMercator.EarthRadius * Math.Log(Math.Tan((Math.PI / 4) + (lat * Math.PI / 360)));

            // Radius of a disc holding the population at a typical density, in metres on the ground, then
            // stretched by the mercator scale so the city keeps its real size on the map.
            var radiusKm = Math.Sqrt(Math.Max(city.Population, 1000) / (Math.PI * PeoplePerSquareKm));
            _radius[i] = radiusKm * 1000 * scale;
            if (year != DemoWorldRenderer.DefaultYear)
            {
                // Cities spread outward over time; the default year's world is the untouched original, byte for byte.
                _radius[i] *= Growth(i, year);
            }

            var reach = _radius[i] * CutoffRadii;
            var (c0, r0) = GridCell(_x[i] - reach, _y[i] + reach);
            var (c1, r1) = GridCell(_x[i] + reach, _y[i] - reach);
            for (var r = r0; r <= r1; r++)
            {
                for (var c = c0; c <= c1; c++)
                {
                    (perCell[(r * GridSize) + c] ??= []).Add(i);
                }
            }

            // Land around every place: a plateau of ~120 km (+40 km per decade of population) on the ground.
            var landKm = 120 + (40 * Math.Log10(Math.Max(city.Population, 1000) / 15000.0));
            StampContinent(_x[i], _y[i], landKm * 1000 * scale);
        }

        _cellStart = new int[(GridSize * GridSize) + 1];
        var items = new List<int>();
        for (var cell = 0; cell < perCell.Length; cell++)
        {
            _cellStart[cell] = items.Count;
            if (perCell[cell] is { } list)
            {
                items.AddRange(list);
            }
        }

        _cellStart[^1] = items.Count;
        _cellItems = [.. items];
    }

    /// <summary>The factor a city's radius has in <paramref name="year"/> relative to the default year.</summary>
    public static double Growth(int city, int year)
    {
        var rate = MinGrowthPerYear + (GrowthSpreadPerYear * ValueNoise.Unit(ValueNoise.Hash(city, 0, 6161)));
        return Math.Pow(1 + rate, year - DemoWorldRenderer.DefaultYear);
    }

    /// <summary>Number of cities.</summary>
    public int Count => _x.Length;

    /// <summary>
    /// Adds to <paramref name="result"/> (cleared first) the cities whose kernel reaches <paramref name="box"/> and whose
    /// radius is at least <paramref name="minRadius"/> metres (smaller ones would be sub-pixel), each once.
    /// </summary>
    public void Candidates(BoundingBox box, double minRadius, List<int> result)
    {
        result.Clear();
        var (c0, r0) = GridCell(box.MinX, box.MaxY);
        var (c1, r1) = GridCell(box.MaxX, box.MinY);
        for (var r = r0; r <= r1; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                var cell = (r * GridSize) + c;
                for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
                {
                    var i = _cellItems[k];
                    if (_radius[i] < minRadius)
                    {
                        continue;
                    }

                    var reach = _radius[i] * CutoffRadii;
                    if (_x[i] + reach < box.MinX || _x[i] - reach > box.MaxX || _y[i] + reach < box.MinY || _y[i] - reach > box.MaxY)
                    {
                        continue;
                    }

                    result.Add(i);
                }
            }
        }

        if (r1 > r0 || c1 > c0)
        {
            result.Sort();
            var write = 0;
            for (var k = 0; k < result.Count; k++)
            {
                if (k == 0 || result[k] != result[k - 1])
                {
                    result[write++] = result[k];
                }
            }

            result.RemoveRange(write, result.Count - write);
        }
    }

    /// <summary>
    /// Urban density at a point from the given cities: Σ 1.6·exp(-(d/R)²). 0.5 is the edge of the urban area,
    /// above ~1 is the dense centre.
    /// </summary>
    public float Density(double x, double y, List<int> candidates)
    {
        var sum = 0.0;
        foreach (var i in candidates)
        {
            var dx = (x - _x[i]) / _radius[i];
            var dy = (y - _y[i]) / _radius[i];
            var q = (dx * dx) + (dy * dy);
            if (q < CutoffRadii * CutoffRadii)
            {
                sum += 1.6 * Math.Exp(-q);
            }
        }

        return (float)sum;
    }

    /// <summary>Continent value in [0, 1] (1 near cities, 0 far from any), bilinear in the coarse raster.</summary>
    public float Continent(double x, double y)
    {
        var fx = (((x + WebMercator.HalfCircumference) / World) * RasterSize) - 0.5;
        var fy = (((WebMercator.HalfCircumference - y) / World) * RasterSize) - 0.5;
        var ix = (int)Math.Floor(fx);
        var iy = (int)Math.Floor(fy);
        var tx = (float)(fx - ix);
        var ty = (float)(fy - iy);
        var a = Sample(ix, iy) + ((Sample(ix + 1, iy) - Sample(ix, iy)) * tx);
        var b = Sample(ix, iy + 1) + ((Sample(ix + 1, iy + 1) - Sample(ix, iy + 1)) * tx);
        return a + ((b - a) * ty);
    }

    private float Sample(int ix, int iy) =>
        _continent[(Math.Clamp(iy, 0, RasterSize - 1) * RasterSize) + ((ix + RasterSize) % RasterSize)];

    private void StampContinent(double x, double y, double radius)
    {
        const double cell = World / RasterSize;
        var cx = (x + WebMercator.HalfCircumference) / cell;
        var cy = (WebMercator.HalfCircumference - y) / cell;
        var reach = radius / cell;
        for (var r = (int)Math.Floor(cy - reach); r <= (int)Math.Ceiling(cy + reach); r++)
        {
            if (r < 0 || r >= RasterSize)
            {
                continue;
            }

            for (var c = (int)Math.Floor(cx - reach); c <= (int)Math.Ceiling(cx + reach); c++)
            {
                var dx = (c + 0.5 - cx) / reach;
                var dy = (r + 0.5 - cy) / reach;
                var d = Math.Sqrt((dx * dx) + (dy * dy));
                var value = (float)Math.Clamp(1.6 * (1 - d), 0, 1);
                ref var target = ref _continent[(r * RasterSize) + ((c + RasterSize) % RasterSize)];
                target = Math.Max(target, value);
            }
        }
    }

    private static (int Col, int Row) GridCell(double x, double y)
    {
        var c = (int)Math.Floor((x + WebMercator.HalfCircumference) / World * GridSize);
        var r = (int)Math.Floor((WebMercator.HalfCircumference - y) / World * GridSize);
        return (Math.Clamp(c, 0, GridSize - 1), Math.Clamp(r, 0, GridSize - 1));
    }
}
