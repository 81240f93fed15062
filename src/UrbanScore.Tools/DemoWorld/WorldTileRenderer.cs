using System.Runtime.CompilerServices;
using UrbanScore.Tiling;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// The demo world's per-pixel model: classifies and shades every pixel of an XYZ tile from world coordinates
/// (EPSG:3857 metres), so neighbouring tiles join without seams and every zoom shows the same world. Coarse
/// fields (continents, city density, warps) are sampled on a lattice anchored to the world pixel grid and
/// interpolated; fine noise octaves are evaluated per pixel. Thread-safe; uses per-thread scratch buffers.
/// </summary>
internal sealed class WorldTileRenderer
{
    private const int Size = WebMercator.TileSize;

    // Field slots.
    private const int FLand = 0;
    private const int FDensity = 1;
    private const int FDensityNoise = 2;
    private const int FCover = 3;
    private const int FRiver = 4;
    private const int FLake = 5;
    private const int FWarpU = 6;
    private const int FWarpV = 7;
    private const int FArid = 8;
    private const int FTexture = 9;
    private const int FieldCount = 10;

    /// <summary>City density is evaluated on every 4th lattice node (16 px) and interpolated.</summary>
    private const int DensityStride = 4;

    /// <summary>Noise of each field; wavelengths in EPSG:3857 metres.</summary>
    private static readonly FbmSpec[] s_specs =
    [
        new(Seed: 101, Wavelength: 400_000, Octaves: 16, MinWavelength: 4, Amplitude: 0.45f, Gain: 0.52f),
        new(Seed: 0, Wavelength: 1, Octaves: 0, MinWavelength: 1, Amplitude: 0),
        new(Seed: 303, Wavelength: 6_000, Octaves: 6, MinWavelength: 30, Amplitude: 0.55f),
        new(Seed: 404, Wavelength: 6_000, Octaves: 7, MinWavelength: 20, Amplitude: 0.6f),
        new(Seed: 505, Wavelength: 30_000, Octaves: 6, MinWavelength: 300, Amplitude: 0.6f, Gain: 0.45f),
        new(Seed: 606, Wavelength: 8_000, Octaves: 6, MinWavelength: 40, Amplitude: 0.6f),
        new(Seed: 707, Wavelength: 3_000, Octaves: 2, MinWavelength: 500, Amplitude: 1f),
        new(Seed: 808, Wavelength: 3_000, Octaves: 2, MinWavelength: 500, Amplitude: 1f),
        new(Seed: 909, Wavelength: 1_500_000, Octaves: 3, MinWavelength: 100_000, Amplitude: 0.6f),
        new(Seed: 1001, Wavelength: 192, Octaves: 6, MinWavelength: 3, Amplitude: 0.7f, Gain: 0.6f),
    ];

    private readonly CityField _cities;

    public WorldTileRenderer(CityField cities) => _cities = cities;

    /// <summary>
    /// Renders a tile: <paramref name="rgba"/> (may be empty to skip shading) gets 256×256 RGBA pixels packed
    /// little-endian (R in the low byte), <paramref name="classes"/> (may be empty) the <see cref="LandCover"/>
    /// of each pixel. Returns the number of urban pixels.
    /// </summary>
    public int Render(TileIndex tile, Span<uint> rgba, Span<LandCover> classes)
    {
        var scratch = TileScratch.ForThread(FieldCount);
        var resolution = WebMercator.Resolution(tile.Zoom);
        var bounds = WebMercator.TileBounds(tile);
        var left = bounds.MinX;
        var top = bounds.MaxY;

        // Cities whose kernel reaches the tile and that are at least a pixel wide at this zoom.
        _cities.Candidates(bounds, resolution, scratch.Candidates);
        FillLattice(scratch, left, top, resolution);

        var shade = !rgba.IsEmpty;
        var urbanCount = 0;
        for (var j = 0; j < Size; j++)
        {
            var y = top - ((j + 0.5) * resolution);
            FillRow(scratch, j, left + (0.5 * resolution), y, resolution, shade);
            var rows = scratch.Rows;
            for (var i = 0; i < Size; i++)
            {
                var x = left + ((i + 0.5) * resolution);
                var cover = Classify(rows, i, resolution, out var depth);
                if (cover == LandCover.Urban)
                {
                    urbanCount++;
                }

                var index = (j * Size) + i;
                if (!classes.IsEmpty)
                {
                    classes[index] = cover;
                }

                if (shade)
                {
                    var grain = (ValueNoise.Unit(ValueNoise.Hash((tile.Col * 256L) + i, (tile.Row * 256L) + j, (uint)tile.Zoom)) - 0.5f) * 8f;
                    rgba[index] = Shade(cover, x, y, rows, i, depth, resolution, grain);
                }
            }
        }

        return urbanCount;
    }

    private void FillLattice(TileScratch scratch, double left, double top, double resolution)
    {
        const int side = TileScratch.LatticeSide;
        var step = TileScratch.LatticeStep * resolution;
        for (var f = 0; f < FieldCount; f++)
        {
            var lattice = scratch.Lattice[f];
            Array.Clear(lattice);
            for (var r = 0; r < side; r++)
            {
                s_specs[f].AddCoarse(lattice.AsSpan(r * side, side), left, step, top - (r * step), resolution);
            }
        }

        var land = scratch.Lattice[FLand];
        for (var r = 0; r < side; r++)
        {
            var y = top - (r * step);
            for (var c = 0; c < side; c++)
            {
                land[(r * side) + c] += _cities.Continent(left + (c * step), y) - 0.5f;
            }
        }

        if (scratch.Candidates.Count > 0)
        {
            FillDensity(scratch.Lattice[FDensity], scratch.Candidates, left, top, step);
        }
    }

    /// <summary>
    /// City density is smooth at lattice scale (cities are at least a pixel wide), so it is computed on every
    /// <see cref="DensityStride"/>-th lattice node and interpolated: the exponentials dominate otherwise.
    /// </summary>
    private void FillDensity(float[] density, List<int> candidates, double left, double top, double step)
    {
        const int side = TileScratch.LatticeSide;
        for (var r = 0; r < side; r += DensityStride)
        {
            for (var c = 0; c < side; c += DensityStride)
            {
                density[(r * side) + c] = _cities.Density(left + (c * step), top - (r * step), candidates);
            }
        }

        for (var r = 0; r < side; r++)
        {
            var r0 = Math.Min(r / DensityStride * DensityStride, side - 1 - DensityStride);
            var ty = (r - r0) / (float)DensityStride;
            for (var c = 0; c < side; c++)
            {
                if (r % DensityStride == 0 && c % DensityStride == 0)
                {
                    continue;
                }

                var c0 = Math.Min(c / DensityStride * DensityStride, side - 1 - DensityStride);
                var tx = (c - c0) / (float)DensityStride;
                var a = Lerp(density[(r0 * side) + c0], density[(r0 * side) + c0 + DensityStride], tx);
                var b = Lerp(density[((r0 + DensityStride) * side) + c0], density[((r0 + DensityStride) * side) + c0 + DensityStride], tx);
                density[(r * side) + c] = Lerp(a, b, ty);
            }
        }
    }

    private static void FillRow(TileScratch scratch, int j, double x0, double y, double resolution, bool shade)
    {
        const int side = TileScratch.LatticeSide;
        const int step = TileScratch.LatticeStep;
        var py = j + 0.5f;
        var lr = (int)(py / step);
        var ty = (py - (lr * step)) / step;
        var latticeRow = scratch.LatticeRow;
        for (var f = 0; f < FieldCount; f++)
        {
            if (!shade && f == FTexture)
            {
                continue;
            }

            var lattice = scratch.Lattice[f];
            for (var c = 0; c < side; c++)
            {
                var a = lattice[(lr * side) + c];
                latticeRow[c] = a + ((lattice[((lr + 1) * side) + c] - a) * ty);
            }

            var row = scratch.Rows[f];
            for (var i = 0; i < Size; i++)
            {
                var px = i + 0.5f;
                var lc = (int)(px / step);
                var tx = (px - (lc * step)) / step;
                row[i] = latticeRow[lc] + ((latticeRow[lc + 1] - latticeRow[lc]) * tx);
            }

            s_specs[f].AddFine(row, x0, resolution, y, resolution);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static LandCover Classify(float[][] rows, int i, double resolution, out float depth)
    {
        var density = rows[FDensity][i] * (1f + rows[FDensityNoise][i]);
        var land = rows[FLand][i] + (0.8f * Math.Min(rows[FDensity][i], 1f));
        depth = land;
        if (land < 0)
        {
            return LandCover.Water;
        }

        // Rivers: thin bands along the zero line of a smooth field, about 25-60 m wide.
        var river = rows[FRiver][i];
        if (Math.Abs(river) < 0.012f && rows[FArid][i] < 0.25f)
        {
            depth = -0.02f;
            return LandCover.Water;
        }

        if (rows[FLake][i] > 0.5f - (0.1f * rows[FArid][i]))
        {
            depth = -0.02f;
            return LandCover.Water;
        }

        if (density > 0.5f)
        {
            return LandCover.Urban;
        }

        var cover = rows[FCover][i];
        var arid = rows[FArid][i];
        if (cover > 0.18f + (arid * 0.6f))
        {
            return LandCover.Forest;
        }

        if (cover < -0.6f + (0.5f * Math.Max(arid, 0)))
        {
            return LandCover.Bare;
        }

        _ = resolution;
        return LandCover.Farmland;
    }

    private static uint Shade(LandCover cover, double x, double y, float[][] rows, int i, float depth, double resolution, float grain)
    {
        var texture = rows[FTexture][i];
        switch (cover)
        {
            case LandCover.Water:
            {
                if (depth > -0.05f && depth != -0.02f)
                {
                    var t = Math.Clamp(-depth / 0.05f, 0, 1);
                    return Rgb(Lerp(58, 22, t) + grain, Lerp(96, 50, t) + grain, Lerp(104, 74, t) + grain);
                }

                return depth == -0.02f
                    ? Rgb(34 + grain, 60 + grain, 66 + grain)
                    : Rgb(16 + (grain * 0.5f), 40 + (grain * 0.5f), 64 + (grain * 0.5f));
            }

            case LandCover.Forest:
            {
                var crown = texture * 30f;
                var tone = rows[FCover][i] * 10f;
                return Rgb(36 + (crown * 0.7f) - tone + grain, 60 + crown - tone + grain, 34 + (crown * 0.6f) - tone + grain);
            }

            case LandCover.Bare:
            {
                var t = texture * 22f;
                var tone = rows[FCover][i] * 30f;
                return Rgb(170 + t + tone + grain, 152 + t + tone + grain, 120 + t + (tone * 0.8f) + grain);
            }

            case LandCover.Farmland:
                return ShadeField(x + (rows[FWarpU][i] * 90), y + (rows[FWarpV][i] * 90), texture, resolution, grain, rows[FArid][i]);

            default:
                return UrbanFabric.Shade(x + (rows[FWarpU][i] * 140), y + (rows[FWarpV][i] * 140), rows[FDensity][i] * (1f + rows[FDensityNoise][i]), texture, resolution, grain);
        }
    }

    /// <summary>Field palette (RGB): greens, ripe grain, ploughed soil, pasture.</summary>
    private static readonly (float R, float G, float B)[] s_fields =
    [
        (112, 136, 70), (96, 124, 60), (150, 146, 92), (176, 162, 112), (132, 112, 82),
        (122, 140, 82), (160, 150, 100), (84, 110, 58), (146, 128, 96), (104, 128, 74),
    ];

    private static uint ShadeField(double u, double v, float texture, double resolution, float grain, float arid)
    {
        // Strips of fields 260 m deep, each strip cut into fields 110-370 m wide (EPSG:3857 metres).
        const double stripDepth = 260;
        var strip = (long)Math.Floor(v / stripDepth);
        var lv = v - (strip * stripDepth);
        var h = ValueNoise.Hash(strip, 17, 4242);
        var width = 110 + (260 * ValueNoise.Unit(h));
        var offset = ValueNoise.Unit(h * 2654435761u) * width;
        var field = (long)Math.Floor((u + offset) / width);
        var lu = u + offset - (field * width);
        var fh = ValueNoise.Hash(field, strip, 4243);
        var (r, g, b) = s_fields[fh % (uint)s_fields.Length];
        var bright = 0.88f + (0.24f * ValueNoise.Unit(fh >> 3));
        var dry = Math.Clamp(arid, 0, 0.6f) * 60f;
        var t = texture * 8f;
        r = (r * bright) + t + dry;
        g = (g * bright) + t + (dry * 0.6f);
        b = (b * bright) + t + (dry * 0.3f);

        // Plough lines along the field, 8 m apart, once they are at least 2 px apart.
        if (resolution < 4)
        {
            var s = MathF.Sin((float)(lu * (Math.PI / 4))) * 5f;
            r += s;
            g += s;
            b += s;
        }

        // Hedges or tracks 3 m wide at the field edges, blended by their pixel coverage when narrower than a pixel.
        var band = Math.Max(3, resolution);
        if (lu < band || lv < band)
        {
            var cover = (float)(3 / band);
            var hedge = (fh & 1) == 0;
            var (er, eg, eb) = hedge ? (48f, 70f, 38f) : (182f, 170f, 140f);
            r = Lerp(r, er, cover);
            g = Lerp(g, eg, cover);
            b = Lerp(b, eb, cover);
        }

        return Rgb(r + grain, g + grain, b + grain);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Lerp(float a, float b, float t) => a + ((b - a) * t);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Rgb(float r, float g, float b) =>
        0xFF000000u | ((uint)Math.Clamp(b, 0, 255) << 16) | ((uint)Math.Clamp(g, 0, 255) << 8) | (uint)Math.Clamp(r, 0, 255);
}
