using System.Buffers;
using System.Collections.Concurrent;
using SkiaSharp;
using UrbanScore.Tiling;
using UrbanScore.Tools.Cities;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// The demo world: a deterministic, procedurally rendered satellite-like world in web mercator (XYZ tiles, 256×256)
/// whose towns come from a <see cref="CityCatalog"/>. It is synthetic imagery for offline demos and tests, never a map
/// of the real world (coasts, rivers and land cover are invented; only city positions and sizes are real).
/// Every pixel is a pure function of its world position and zoom, so tiles are seamless, byte-identical on every
/// call, and the ground truth (<see cref="UrbanFraction"/>) is exact. Thread-safe.
/// </summary>
public sealed class DemoWorldRenderer
{
    /// <summary>Deepest zoom served (z18: ~0.6 m pixels at the equator).</summary>
    public const int MaxZoom = 18;

    /// <summary>JPEG quality of <see cref="RenderJpeg"/> when none is given.</summary>
    public const int DefaultJpegQuality = 85;

    /// <summary>A tile is "urban" (<see cref="IsUrban"/>) when at least this fraction of its pixels is urban fabric.</summary>
    public const double UrbanThreshold = 0.5;

    private const int PixelCount = WebMercator.TileSize * WebMercator.TileSize;

    /// <summary>
    /// The year of the world when none is given: the world as it always was (cities at their catalogue size). Other
    /// years scale every city's radius by its own compound growth of 1–3 % a year, so towns spread outward over time.
    /// </summary>
    public const int DefaultYear = 2025;

    /// <summary>Earliest year the world can be rendered for.</summary>
    public const int MinYear = 2000;

    /// <summary>Latest year the world can be rendered for.</summary>
    public const int MaxYear = 2030;

    private static readonly ConcurrentDictionary<int, Lazy<DemoWorldRenderer>> s_embedded = new();

    private readonly CityCatalog _cities;
    private readonly WorldTileRenderer _renderer;

    /// <summary>Builds the world around <paramref name="cities"/> as it is in <paramref name="year"/> (indexes them once; ~0.1 s for the embedded list).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside <see cref="MinYear"/>..<see cref="MaxYear"/>.</exception>
    public DemoWorldRenderer(CityCatalog cities, int year = DefaultYear)
    {
        ArgumentNullException.ThrowIfNull(cities);
        CheckYear(year);
        _cities = cities;
        Year = year;
        _renderer = new WorldTileRenderer(new CityField(cities, year));
    }

    /// <summary>The world built from <see cref="CityCatalog.Embedded"/> in <see cref="DefaultYear"/>, created on first use.</summary>
    public static DemoWorldRenderer Default => ForYear(DefaultYear);

    /// <summary>The year whose cities this world shows.</summary>
    public int Year { get; }

    /// <summary>The years the demo world server advertises in its WMTS <c>Time</c> dimension (2010..<see cref="DefaultYear"/>).</summary>
    public static IReadOnlyList<int> ServedYears { get; } = [.. Enumerable.Range(2010, DefaultYear - 2010 + 1)];

    /// <summary>The world built from <see cref="CityCatalog.Embedded"/> in <paramref name="year"/>, created on first use and shared.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside <see cref="MinYear"/>..<see cref="MaxYear"/>.</exception>
    public static DemoWorldRenderer ForYear(int year)
    {
        CheckYear(year);
        return s_embedded.GetOrAdd(year, y => new Lazy<DemoWorldRenderer>(() => new DemoWorldRenderer(CityCatalog.Embedded, y))).Value;
    }

    /// <summary>The same cities in another year (shared instances for the embedded catalogue).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside <see cref="MinYear"/>..<see cref="MaxYear"/>.</exception>
    public DemoWorldRenderer WithYear(int year) =>
        year == Year ? this : ReferenceEquals(_cities, CityCatalog.Embedded) ? ForYear(year) : new DemoWorldRenderer(_cities, year);

    /// <summary>Whether <paramref name="tile"/> exists in the world (zoom 0..<see cref="MaxZoom"/>, col and row in 0..2^zoom-1).</summary>
    public static bool Contains(TileIndex tile) =>
        tile.Zoom is >= 0 and <= MaxZoom && tile.Col >= 0 && tile.Row >= 0 && tile.Col < (1 << tile.Zoom) && tile.Row < (1 << tile.Zoom);

    /// <summary>Renders a tile as a baseline JPEG (4:2:0). Same tile and quality → same bytes.</summary>
    /// <param name="tile">XYZ tile; see <see cref="Contains"/>.</param>
    /// <param name="quality">JPEG quality 1..100.</param>
    /// <returns>A new array owned by the caller.</returns>
    public byte[] RenderJpeg(TileIndex tile, int quality = DefaultJpegQuality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        var pixels = ArrayPool<uint>.Shared.Rent(PixelCount);
        try
        {
            RenderPixels(tile, pixels.AsSpan(0, PixelCount));
            return Encode(pixels, quality);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(pixels);
        }
    }

    /// <summary>
    /// Renders a tile's pixels: 256×256 row-major RGBA, packed little-endian in each <see cref="uint"/> (R in the low
    /// byte, alpha 255).
    /// </summary>
    public void RenderPixels(TileIndex tile, Span<uint> rgba)
    {
        Check(tile);
        ArgumentOutOfRangeException.ThrowIfLessThan(rgba.Length, PixelCount, nameof(rgba));
        _renderer.Render(tile, rgba[..PixelCount], []);
    }

    /// <summary>The <see cref="LandCover"/> of each pixel (256×256 row-major), from the same function that renders it.</summary>
    public void Classify(TileIndex tile, Span<LandCover> classes)
    {
        Check(tile);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes.Length, PixelCount, nameof(classes));
        _renderer.Render(tile, [], classes[..PixelCount]);
    }

    /// <summary>Exact fraction (0..1) of the tile's pixels that are <see cref="LandCover.Urban"/> fabric in <see cref="Year"/>: the ground truth per tile per year.</summary>
    public double UrbanFraction(TileIndex tile)
    {
        Check(tile);
        return _renderer.Render(tile, [], []) / (double)PixelCount;
    }

    /// <summary>Ground truth label of a tile: <see cref="UrbanFraction"/> ≥ <see cref="UrbanThreshold"/>.</summary>
    public bool IsUrban(TileIndex tile) => UrbanFraction(tile) >= UrbanThreshold;

    private static void CheckYear(int year)
    {
        if (year is < MinYear or > MaxYear)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, $"The demo world has the years {MinYear}..{MaxYear}.");
        }
    }

    private static void Check(TileIndex tile)
    {
        if (!Contains(tile))
        {
            throw new ArgumentOutOfRangeException(nameof(tile), tile, $"The demo world has zoom levels 0..{MaxZoom} with col and row in 0..2^zoom-1.");
        }
    }

    private static unsafe byte[] Encode(uint[] pixels, int quality)
    {
        var info = new SKImageInfo(WebMercator.TileSize, WebMercator.TileSize, SKColorType.Rgba8888, SKAlphaType.Opaque);
        fixed (uint* p = pixels)
        {
            using var pixmap = new SKPixmap(info, (nint)p, WebMercator.TileSize * 4);
            var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
            using var data = pixmap.Encode(options)
                ?? throw new InvalidOperationException("SkiaSharp could not encode a JPEG tile.");
            return data.ToArray();
        }
    }
}
