namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// Streets, blocks, buildings and gardens of the demo world's built-up areas, as a function of (warped) world
/// position in EPSG:3857 metres and the local urban density (0.5 = edge of town, above ~1.1 = dense centre).
/// </summary>
internal static class UrbanFabric
{
    /// <summary>Superblocks between arterial roads, metres.</summary>
    private const double Superblock = 560;

    /// <summary>Arterial road width, metres.</summary>
    private const double ArterialWidth = 18;

    private enum Part : byte
    {
        Arterial,
        Street,
        Sidewalk,
        Building,
        Courtyard,
        Garden,
        Park,
    }

    /// <summary>Roof colours (RGB): concrete, terracotta, light, dark, brown, slate.</summary>
    private static readonly (float R, float G, float B)[] s_roofs =
    [
        (150, 146, 140), (156, 104, 86), (196, 194, 188), (92, 94, 98), (128, 116, 104), (118, 122, 128), (164, 116, 96), (172, 168, 160),
    ];

    public static uint Shade(double u, double v, float density, float texture, double resolution, float grain)
    {
        var part = Locate(u, v, density, out var id, out var height);
        float r, g, b;
        switch (part)
        {
            case Part.Arterial:
                (r, g, b) = (88, 88, 90);
                break;
            case Part.Street:
                (r, g, b) = (110, 108, 106);
                break;
            case Part.Sidewalk:
                (r, g, b) = (150, 146, 140);
                break;
            case Part.Building:
            {
                (r, g, b) = s_roofs[id % (uint)s_roofs.Length];
                var tone = 0.85f + (0.3f * ValueNoise.Unit(id >> 4));
                r *= tone;
                g *= tone;
                b *= tone;
                break;
            }

            case Part.Courtyard:
                (r, g, b) = (id & 1) == 0 ? (84f, 96f, 72f) : (120f, 118f, 112f);
                break;
            case Part.Park:
            case Part.Garden:
            {
                // Lawns with tree crowns where the texture noise is high.
                var tree = texture > (part == Part.Park ? 0.0f : 0.35f);
                (r, g, b) = tree ? (46f, 72f, 40f) : (98f, 122f, 70f);
                r += texture * 12;
                g += texture * 14;
                b += texture * 8;
                break;
            }

            default:
                (r, g, b) = (0, 0, 0);
                break;
        }

        // Shadows fall north-east of buildings (sun in the south-west, northern-hemisphere afternoon).
        if (part != Part.Building && resolution < 8)
        {
            var reach = 0.5 + (height * 0.8);
            if (Locate(u - (reach * 0.6), v - reach, density, out _, out _) == Part.Building)
            {
                r *= 0.55f;
                g *= 0.55f;
                b *= 0.6f;
            }
        }

        return WorldTileRenderer.Rgb(r + grain, g + grain, b + grain);
    }

    private static Part Locate(double u, double v, float density, out uint id, out float height)
    {
        id = 0;
        height = 0;
        var su = (long)Math.Floor(u / Superblock);
        var sv = (long)Math.Floor(v / Superblock);
        var lu = u - (su * Superblock);
        var lv = v - (sv * Superblock);
        const double half = ArterialWidth / 2;
        if (lu < half || lu > Superblock - half || lv < half || lv > Superblock - half)
        {
            return Part.Arterial;
        }

        // Each superblock has its own street spacing (60-150 m by 50-120 m) and street width (8-13 m).
        var h = ValueNoise.Hash(su, sv, 5151);
        var bx = 60 + (90 * ValueNoise.Unit(h));
        var by = 50 + (70 * ValueNoise.Unit(h * 0x9E3779B1u));
        var street = 8 + (5 * ValueNoise.Unit(h * 0x85EBCA77u));
        var ou = lu - half;
        var ov = lv - half;
        var bi = (long)Math.Floor(ou / bx);
        var bj = (long)Math.Floor(ov / by);
        var iu = ou - (bi * bx);
        var iv = ov - (bj * by);
        if (iu < street || iv < street)
        {
            return Part.Street;
        }

        iu -= street;
        iv -= street;
        var w = bx - street;
        var d = by - street;
        var block = ValueNoise.Hash((su * 64) + bi, (sv * 64) + bj, 5252);
        if (ValueNoise.Unit(block) < 0.035f)
        {
            return Part.Park;
        }

        var dense = density > 1.0f + (0.35f * ValueNoise.Unit(block >> 5));
        if (dense)
        {
            const double walk = 2.5;
            if (iu < walk || iv < walk || iu > w - walk || iv > d - walk)
            {
                return Part.Sidewalk;
            }

            // Perimeter blocks with a courtyard, cut into 2-4 buildings along the block.
            var depth = 12 + (6 * ValueNoise.Unit(block >> 9));
            if ((block & 2) == 0 && w > 36 && d > 36 && iu > depth && iu < w - depth && iv > depth && iv < d - depth)
            {
                id = block;
                return Part.Courtyard;
            }

            var parts = 2 + (int)(block % 3);
            var piece = (int)Math.Floor((iu - walk) / ((w - (2 * walk)) / parts));
            id = ValueNoise.Hash(piece, (long)block, 5353);
            height = 6 + (8 * ValueNoise.Unit(id >> 2));
            return Part.Building;
        }

        // Houses on lots 14-24 m wide, one row facing each street when the block is deep enough.
        var lotWidth = 14 + (10 * ValueNoise.Unit(block >> 7));
        var lot = (long)Math.Floor(iu / lotWidth);
        var inLot = iu - (lot * lotWidth);
        var back = d > 34 && iv > d / 2;
        var fromStreet = back ? d - iv : iv;
        var lotHash = ValueNoise.Hash(lot, (long)block * 2 + (back ? 1 : 0), 5454);

        // Fewer houses towards the edge of town.
        var built = Math.Clamp(0.55f + ((density - 0.5f) * 1.2f), 0.55f, 0.95f);
        if (ValueNoise.Unit(lotHash) > built)
        {
            return Part.Garden;
        }

        var side = 2 + (1.5 * ValueNoise.Unit(lotHash >> 3));
        var setback = 4 + (3 * ValueNoise.Unit(lotHash >> 6));
        var houseDepth = 10 + (6 * ValueNoise.Unit(lotHash >> 9));
        if (inLot > side && inLot < lotWidth - side && fromStreet > setback && fromStreet < setback + houseDepth)
        {
            id = lotHash;
            height = 3;
            return Part.Building;
        }

        return Part.Garden;
    }
}
