namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// Fractal value noise: octave k has cell size <see cref="Wavelength"/>/2^k metres and amplitude
/// <see cref="Amplitude"/>·<see cref="Gain"/>^k. Octaves finer than <see cref="MinWavelength"/> or than two pixels
/// are left out (their mean is 0), which is what keeps a zoom level consistent with the levels above it.
/// </summary>
internal readonly record struct FbmSpec(uint Seed, double Wavelength, int Octaves, double MinWavelength, float Amplitude, float Gain = 0.5f)
{
    /// <summary>Octaves at least this many pixels long are sampled on the tile lattice and interpolated.</summary>
    public const double LatticeOctavePixels = 16;

    /// <summary>Adds the octaves longer than <see cref="LatticeOctavePixels"/> pixels (lattice part).</summary>
    public void AddCoarse(Span<float> row, double x0, double dx, double y, double resolution) =>
        Add(row, x0, dx, y, resolution, coarse: true);

    /// <summary>Adds the octaves between two and <see cref="LatticeOctavePixels"/> pixels (per-pixel part).</summary>
    public void AddFine(Span<float> row, double x0, double dx, double y, double resolution) =>
        Add(row, x0, dx, y, resolution, coarse: false);

    /// <summary>Whether any octave falls in the per-pixel band at this resolution.</summary>
    public bool HasFine(double resolution)
    {
        var lambda = Wavelength;
        for (var k = 0; k < Octaves; k++, lambda *= 0.5)
        {
            var pixels = lambda / resolution;
            if (lambda >= MinWavelength && pixels >= 2 && pixels < LatticeOctavePixels)
            {
                return true;
            }
        }

        return false;
    }

    private void Add(Span<float> row, double x0, double dx, double y, double resolution, bool coarse)
    {
        var lambda = Wavelength;
        var amplitude = Amplitude;
        for (var k = 0; k < Octaves; k++, lambda *= 0.5, amplitude *= Gain)
        {
            var pixels = lambda / resolution;
            if (lambda < MinWavelength || pixels < 2)
            {
                return;
            }

            if ((pixels >= LatticeOctavePixels) == coarse)
            {
                ValueNoise.AddOctave(row, x0, dx, y, lambda, amplitude, Seed + (uint)(k * 7919));
            }
        }
    }
}
