using System.Globalization;
using UrbanScore.Tiling;

namespace UrbanScore.Sources;

/// <summary>
/// A tile URL template compiled once: literal text between slots for a tile's numbers, so that a tile's URL is one
/// string of the exact length, written in place. Expanding the template per tile instead (placeholder by placeholder,
/// a string per step) cost 2.2 KB of garbage per XYZ tile and 4.7–9.3 KB per WMTS tile (SourceBenchmarks,
/// benchmarks/results/2026-12-01-per-tile-garbage.md). Immutable and thread-safe.
/// </summary>
internal sealed class TileUrlPattern
{
    /// <summary>The XYZ placeholders, matched case-insensitively (https://wiki.openstreetmap.org/wiki/Slippy_map_tilenames,
    /// Leaflet's <c>{s}</c>, Bing's quadkey <c>{q}</c>).</summary>
    private static readonly (string Text, Slot Slot)[] s_xyzPlaceholders =
    [
        ("{z}", Slot.Zoom), ("{x}", Slot.Col), ("{y}", Slot.Row), ("{-y}", Slot.FlippedRow), ("{s}", Slot.Subdomain), ("{q}", Slot.Quadkey),
    ];

    private readonly string[] _literals;
    private readonly Slot[] _slots;

    private TileUrlPattern(List<string> literals, List<Slot> slots)
    {
        _literals = [.. literals];
        _slots = [.. slots];
    }

    /// <summary>What a slot holds for a tile.</summary>
    private enum Slot
    {
        Zoom,
        Col,
        Row,

        /// <summary>The TMS row, counted from the south: 2^zoom − 1 − row.</summary>
        FlippedRow,

        /// <summary>a, b or c by (col + row) mod 3, spreading requests over a server's subdomains.</summary>
        Subdomain,

        /// <summary>The Bing Maps quadkey: one digit 0–3 per zoom level.</summary>
        Quadkey,
    }

    /// <summary>Compiles an XYZ template (<c>{z}</c>, <c>{x}</c>, <c>{y}</c>, <c>{-y}</c>, <c>{s}</c>, <c>{q}</c>).</summary>
    public static TileUrlPattern Xyz(string template)
    {
        var literals = new List<string>();
        var slots = new List<Slot>();
        var start = 0;
        for (var i = template.IndexOf('{', StringComparison.Ordinal); i >= 0; i = template.IndexOf('{', i))
        {
            var match = Array.FindIndex(s_xyzPlaceholders, p => template.AsSpan(i).StartsWith(p.Text, StringComparison.OrdinalIgnoreCase));
            if (match < 0)
            {
                i++;
                continue;
            }

            literals.Add(template[start..i]);
            slots.Add(s_xyzPlaceholders[match].Slot);
            i += s_xyzPlaceholders[match].Text.Length;
            start = i;
        }

        literals.Add(template[start..]);
        return new TileUrlPattern(literals, slots);
    }

    /// <summary>
    /// Compiles the URL of one sample tile whose row and column were given as <paramref name="rowSentinel"/> and
    /// <paramref name="colSentinel"/> (numbers the rest of the URL does not hold): every other part of the URL is the
    /// same for every tile of that zoom. Null when either number is not found exactly once.
    /// </summary>
    public static TileUrlPattern? FromSample(string url, int rowSentinel, int colSentinel)
    {
        var rowText = rowSentinel.ToString(CultureInfo.InvariantCulture);
        var colText = colSentinel.ToString(CultureInfo.InvariantCulture);
        var row = url.IndexOf(rowText, StringComparison.Ordinal);
        var col = url.IndexOf(colText, StringComparison.Ordinal);
        if (row < 0 || col < 0
            || url.IndexOf(rowText, row + 1, StringComparison.Ordinal) >= 0
            || url.IndexOf(colText, col + 1, StringComparison.Ordinal) >= 0)
        {
            return null;
        }

        var (first, firstLength, firstSlot, second, secondLength, secondSlot) = row < col
            ? (row, rowText.Length, Slot.Row, col, colText.Length, Slot.Col)
            : (col, colText.Length, Slot.Col, row, rowText.Length, Slot.Row);
        if (first + firstLength > second)
        {
            return null;
        }

        return new TileUrlPattern(
            [url[..first], url[(first + firstLength)..second], url[(second + secondLength)..]],
            [firstSlot, secondSlot]);
    }

    /// <summary>The URL of <paramref name="tile"/>.</summary>
    public string Format(TileIndex tile)
    {
        var length = 0;
        foreach (var literal in _literals)
        {
            length += literal.Length;
        }

        foreach (var slot in _slots)
        {
            length += slot switch
            {
                Slot.Subdomain => 1,
                Slot.Quadkey => tile.Zoom,
                _ => Digits(Value(slot, tile)),
            };
        }

        return string.Create(length, (Pattern: this, Tile: tile), static (span, state) => state.Pattern.Write(span, state.Tile));
    }

    private void Write(Span<char> destination, TileIndex tile)
    {
        var at = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            _literals[i].CopyTo(destination[at..]);
            at += _literals[i].Length;
            switch (_slots[i])
            {
                case Slot.Subdomain:
                    destination[at++] = (char)('a' + ((tile.Col + tile.Row) % 3));
                    break;
                case Slot.Quadkey:
                    for (var level = tile.Zoom; level > 0; level--)
                    {
                        var mask = 1 << (level - 1);
                        destination[at++] = (char)('0' + ((tile.Col & mask) != 0 ? 1 : 0) + ((tile.Row & mask) != 0 ? 2 : 0));
                    }

                    break;
                default:
                    Value(_slots[i], tile).TryFormat(destination[at..], out var written, default, CultureInfo.InvariantCulture);
                    at += written;
                    break;
            }
        }

        _literals[^1].CopyTo(destination[at..]);
    }

    private static int Value(Slot slot, TileIndex tile) => slot switch
    {
        Slot.Zoom => tile.Zoom,
        Slot.Col => tile.Col,
        Slot.Row => tile.Row,
        _ => (1 << tile.Zoom) - 1 - tile.Row,
    };

    private static int Digits(int value)
    {
        var digits = value < 0 ? 2 : 1;
        for (var rest = Math.Abs((long)value); rest >= 10; rest /= 10)
        {
            digits++;
        }

        return digits;
    }
}
