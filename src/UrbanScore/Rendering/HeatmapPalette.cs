namespace UrbanScore.Rendering;

/// <summary>
/// Colour of a score in the heatmap. The default (<see cref="Red"/>) is the seed workflow's overlay: pure red whose
/// alpha is round(255·P), so P = 0 is fully transparent and P = 1 opaque red. <c>viridis</c> and <c>magma</c> are
/// opaque perceptual colour maps (matplotlib's, sampled at 9 stops and interpolated linearly). Scores below
/// <see cref="Threshold"/> are transparent. Scores are quantised to 256 levels (round(255·P)) before colouring, so
/// every product (PNG tiles, GeoTIFF) shows the same colour for the same stored score.
/// </summary>
public sealed class HeatmapPalette
{
    private static readonly byte[,] s_viridis =
    {
        { 68, 1, 84 }, { 71, 44, 122 }, { 59, 81, 139 }, { 44, 113, 142 }, { 33, 144, 141 },
        { 39, 173, 129 }, { 92, 200, 99 }, { 170, 220, 50 }, { 253, 231, 37 },
    };

    private static readonly byte[,] s_magma =
    {
        { 0, 0, 4 }, { 28, 16, 68 }, { 79, 18, 123 }, { 129, 37, 129 }, { 181, 54, 122 },
        { 229, 80, 100 }, { 251, 135, 97 }, { 254, 194, 135 }, { 252, 253, 191 },
    };

    private readonly byte[,]? _stops;

    private HeatmapPalette(string name, byte[,]? stops, float threshold)
    {
        Name = name;
        _stops = stops;
        Threshold = threshold;
    }

    /// <summary>The seed's rule: red, alpha = round(255·P), no threshold.</summary>
    public static HeatmapPalette Red { get; } = new("red", null, 0f);

    /// <summary>
    /// The change map of <c>urbanscore compare</c>, diverging: a change d = P(after) − P(before) in −1..1 is stored as the
    /// score (d + 1) / 2 (<see cref="EncodeChange"/>), so level 128 is no change (fully transparent), gains are red and
    /// losses blue with alpha = round(255·|d|).
    /// </summary>
    public static HeatmapPalette Change { get; } = new("change", null, 0f);

    /// <summary>Names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["red", "viridis", "magma"];

    /// <summary>Palette name.</summary>
    public string Name { get; }

    /// <summary>Scores below this are transparent (0 = none).</summary>
    public float Threshold { get; }

    /// <summary>A palette by name with a threshold.</summary>
    /// <exception cref="UrbanScoreException">Unknown name or a threshold outside [0, 1].</exception>
    public static HeatmapPalette Create(string name, float threshold)
    {
        if (!(threshold >= 0f && threshold <= 1f))
        {
            throw new UrbanScoreException($"Threshold {threshold} is outside 0..1; give a probability such as 0.5.") { Subject = InputSubject.Threshold };
        }

        return name.ToLowerInvariant() switch
        {
            "red" => new HeatmapPalette("red", null, threshold),
            "viridis" => new HeatmapPalette("viridis", s_viridis, threshold),
            "magma" => new HeatmapPalette("magma", s_magma, threshold),
            _ => throw new UrbanScoreException($"Unknown colour map '{name}'; use one of {string.Join(", ", Names)}."),
        };
    }

    /// <summary>Writes the unassociated RGBA colour of <paramref name="score"/> (0–1; NaN = no data, transparent).</summary>
    public void Map(float score, Span<byte> rgba) => MapLevel(float.IsNaN(score) ? -1 : Level(score), rgba);

    /// <summary>Writes the colour of a quantised level 0..255 (−1 = no data).</summary>
    internal void MapLevel(int level, Span<byte> rgba)
    {
        if (level < 0 || level / 255f < Threshold)
        {
            rgba[..4].Clear();
            return;
        }

        if (ReferenceEquals(this, Change))
        {
            // Level 128 is d = 0; 255 is d = +1 and 0 is d = −1 (docs/analysis.md).
            var d = level >= 128 ? (level - 128) / 127.0 : (level - 128) / 128.0;
            var gained = d > 0;
            rgba[0] = gained ? (byte)215 : (byte)33;
            rgba[1] = gained ? (byte)25 : (byte)102;
            rgba[2] = gained ? (byte)28 : (byte)172;
            rgba[3] = (byte)Math.Round(255 * Math.Abs(d), MidpointRounding.AwayFromZero);
            return;
        }

        if (_stops is null)
        {
            rgba[0] = 255;
            rgba[1] = 0;
            rgba[2] = 0;
            rgba[3] = (byte)level;
            return;
        }

        var position = level / 255.0 * (_stops.GetLength(0) - 1);
        var lower = Math.Min((int)position, _stops.GetLength(0) - 2);
        var t = position - lower;
        for (var c = 0; c < 3; c++)
        {
            rgba[c] = (byte)Math.Round((_stops[lower, c] * (1 - t)) + (_stops[lower + 1, c] * t));
        }

        rgba[3] = 255;
    }

    /// <summary>A change d = P(after) − P(before) in −1..1 as the 0..1 value the <see cref="Change"/> palette colours.</summary>
    internal static float EncodeChange(float change) => float.IsNaN(change) ? float.NaN : (Math.Clamp(change, -1f, 1f) + 1f) / 2f;

    /// <summary>round(255·P) with P clamped to [0, 1]: the quantised level of a score.</summary>
    public static byte Level(float score) => (byte)Math.Round(Math.Clamp(score, 0f, 1f) * 255f, MidpointRounding.AwayFromZero);
}
