using System.Text.Json;
using System.Text.RegularExpressions;

namespace UrbanScore.Tests.Rendering;

/// <summary>
/// The TileJSON 3.0.0 specification's rules as checks (no network, no schema library): <c>tilejson</c> (required, a
/// semver string), <c>tiles</c> (required, a non-empty array of absolute URL strings), and the types and ranges of the
/// optional members (name, description, version, attribution, scheme xyz|tms, minzoom/maxzoom integers 0..30 with
/// minzoom ≤ maxzoom, bounds [w, s, e, n] in degrees, center [lon, lat, zoom] inside them).
/// </summary>
internal static partial class TileJsonSchema
{
    public static IReadOnlyList<string> Problems(string document)
    {
        var problems = new List<string>();
        using var json = JsonDocument.Parse(document);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ["the document is not a JSON object"];
        }

        if (!root.TryGetProperty("tilejson", out var version) || version.ValueKind != JsonValueKind.String || !Semver().IsMatch(version.GetString()!))
        {
            problems.Add("tilejson: required, a version string such as 3.0.0");
        }

        if (!root.TryGetProperty("tiles", out var tiles) || tiles.ValueKind != JsonValueKind.Array || tiles.GetArrayLength() == 0)
        {
            problems.Add("tiles: required, a non-empty array");
        }
        else
        {
            foreach (var tile in tiles.EnumerateArray())
            {
                if (tile.ValueKind != JsonValueKind.String || !Uri.TryCreate(tile.GetString(), UriKind.Absolute, out _))
                {
                    problems.Add("tiles: every entry must be an absolute URL string, not " + tile.GetRawText());
                }
            }
        }

        foreach (var name in new[] { "name", "description", "version", "attribution", "template", "legend" })
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                problems.Add(name + ": must be a string");
            }
        }

        if (root.TryGetProperty("version", out var layerVersion) && layerVersion.ValueKind == JsonValueKind.String && !Semver().IsMatch(layerVersion.GetString()!))
        {
            problems.Add("version: must be a semver string");
        }

        if (root.TryGetProperty("scheme", out var scheme) && scheme.GetString() is not ("xyz" or "tms"))
        {
            problems.Add("scheme: must be xyz or tms");
        }

        int? Zoom(string name)
        {
            if (!root.TryGetProperty(name, out var z))
            {
                return null;
            }

            if (z.ValueKind != JsonValueKind.Number || !z.TryGetInt32(out var v) || v is < 0 or > 30)
            {
                problems.Add(name + ": must be an integer 0..30");
                return null;
            }

            return v;
        }

        var min = Zoom("minzoom") ?? 0;
        var max = Zoom("maxzoom") ?? 30;
        if (min > max)
        {
            problems.Add("minzoom: must not exceed maxzoom");
        }

        double[]? bounds = null;
        if (root.TryGetProperty("bounds", out var b))
        {
            bounds = Numbers(b);
            if (bounds is not [var w, var s, var e, var n] || w < -180 || e > 180 || s < -90 || n > 90 || w >= e || s >= n)
            {
                problems.Add("bounds: must be [west, south, east, north] in degrees, west < east, south < north");
                bounds = null;
            }
        }

        if (root.TryGetProperty("center", out var c))
        {
            var center = Numbers(c);
            if (center is not [var lon, var lat, var zoom] || zoom != Math.Floor(zoom) || zoom < min || zoom > max
                || (bounds is [var w, var s, var e, var n] && (lon < w || lon > e || lat < s || lat > n)))
            {
                problems.Add("center: must be [longitude, latitude, integer zoom] inside bounds and minzoom..maxzoom");
            }
        }

        return problems;
    }

    private static double[]? Numbers(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number)
            ? [.. element.EnumerateArray().Select(v => v.GetDouble())]
            : null;

    [GeneratedRegex(@"^\d+\.\d+\.\d+\w?[\w\d]*$")]
    private static partial Regex Semver();
}
