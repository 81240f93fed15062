namespace UrbanScore.Tools.DemoWorld;

/// <summary>Per-thread working buffers of one tile render (lattice and row fields); reused, never shared.</summary>
internal sealed class TileScratch
{
    /// <summary>Lattice step in pixels; the lattice has <see cref="LatticeSide"/>² points anchored on the world pixel grid.</summary>
    public const int LatticeStep = 4;

    /// <summary>Lattice points per side (tile edges included, so neighbours share their edge values).</summary>
    public const int LatticeSide = (256 / LatticeStep) + 1;

    [ThreadStatic]
    private static TileScratch? s_current;

    public TileScratch(int fieldCount)
    {
        Lattice = new float[fieldCount][];
        Rows = new float[fieldCount][];
        for (var f = 0; f < fieldCount; f++)
        {
            Lattice[f] = new float[LatticeSide * LatticeSide];
            Rows[f] = new float[256];
        }
    }

    /// <summary>Coarse field values at lattice points, per field.</summary>
    public float[][] Lattice { get; }

    /// <summary>Field values of the current pixel row, per field.</summary>
    public float[][] Rows { get; }

    /// <summary>Lattice row interpolated to the current pixel row (scratch).</summary>
    public float[] LatticeRow { get; } = new float[LatticeSide];

    /// <summary>Cities near the tile.</summary>
    public List<int> Candidates { get; } = [];

    /// <summary>The calling thread's scratch.</summary>
    public static TileScratch ForThread(int fieldCount) => s_current ??= new TileScratch(fieldCount);
}
