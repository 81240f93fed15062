using System.Runtime.CompilerServices;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// Stateless hash-based value noise over world coordinates (EPSG:3857 metres): the same point gives the same value
/// in every tile and at every zoom, so tiles join without seams. No <see cref="Random"/> anywhere.
/// </summary>
internal static class ValueNoise
{
    /// <summary>A 32-bit hash of a lattice cell and a seed (splitmix64-style finaliser).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(long ix, long iy, uint seed)
    {
        var h = ((ulong)ix * 0x9E3779B97F4A7C15UL) ^ ((ulong)iy * 0xC2B2AE3D27D4EB4FUL) ^ ((seed + 1UL) * 0x165667B19E3779F9UL);
        h ^= h >> 31;
        h *= 0xD6E8FEB86659FD93UL;
        h ^= h >> 32;
        h *= 0xD6E8FEB86659FD93UL;
        h ^= h >> 29;
        return (uint)h;
    }

    /// <summary>A hash mapped to [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Unit(uint hash) => (hash >> 8) * (1f / 16777216f);

    /// <summary>A lattice value in [-1, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lattice(long ix, long iy, uint seed) => (Unit(Hash(ix, iy, seed)) * 2f) - 1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Smooth(float t) => t * t * (3f - (2f * t));

    /// <summary>
    /// Adds one octave of value noise (amplitude <paramref name="amplitude"/>, cell size <paramref name="wavelength"/>
    /// metres) to <paramref name="row"/>, whose sample i lies at x = <paramref name="x0"/> + i·<paramref name="dx"/>,
    /// y = <paramref name="y"/>. Corner values are reused while consecutive samples stay in one cell.
    /// </summary>
    public static void AddOctave(Span<float> row, double x0, double dx, double y, double wavelength, float amplitude, uint seed)
    {
        var inv = 1.0 / wavelength;
        var fyd = y * inv;
        var iy = (long)Math.Floor(fyd);
        var fy = Smooth((float)(fyd - iy));
        var cached = long.MinValue;
        float a = 0, b = 0;
        for (var i = 0; i < row.Length; i++)
        {
            var fxd = (x0 + (i * dx)) * inv;
            var ix = (long)Math.Floor(fxd);
            if (ix != cached)
            {
                if (ix == cached + 1)
                {
                    a = b;
                }
                else
                {
                    var v00 = Lattice(ix, iy, seed);
                    var v01 = Lattice(ix, iy + 1, seed);
                    a = v00 + ((v01 - v00) * fy);
                }

                var v10 = Lattice(ix + 1, iy, seed);
                var v11 = Lattice(ix + 1, iy + 1, seed);
                b = v10 + ((v11 - v10) * fy);
                cached = ix;
            }

            var fx = Smooth((float)(fxd - ix));
            row[i] += amplitude * (a + ((b - a) * fx));
        }
    }
}
