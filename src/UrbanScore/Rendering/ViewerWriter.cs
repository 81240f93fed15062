using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using UrbanScore.Sources;
using UrbanScore.Storage;

namespace UrbanScore.Rendering;

/// <summary>
/// Writes the viewer: <c>index.html</c> (a Leaflet map with the source imagery when the browser can load it, the
/// heatmap overlay, an opacity slider, a legend and the run summary) and Leaflet 1.9.4 itself under <c>viewer/</c>
/// (from npm, embedded in this assembly: no CDN). Every string taken from the run (source, labels, capabilities
/// titles) is HTML-escaped; the map configuration is JSON inside a non-executed script element.
/// </summary>
internal static class ViewerWriter
{
    public const string FileName = "index.html";
    public const string AssetFolder = "viewer";

    private const string ResourcePrefix = "UrbanScore.Viewer.";

    /// <summary>Files copied under <c>viewer/</c> (Leaflet's CSS loads <c>images/</c> relative to itself).</summary>
    private static readonly string[] s_assets =
    [
        "leaflet.js", "leaflet.css", "LEAFLET-LICENSE",
        "images/layers.png", "images/layers-2x.png", "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png",
    ];

    /// <summary>Writes index.html and the Leaflet assets; returns the note about the imagery layer (shown on the page too).</summary>
    public static string Write(string outputFolder, ProductSettings settings, HeatmapLayerInfo layer, RunIdentity identity, (long Scored, long Empty, long Failed) counts)
    {
        foreach (var asset in s_assets)
        {
            var target = Path.Combine(outputFolder, AssetFolder, asset.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var bytes = Resource(asset);
            AtomicFile.Write(target, temp => File.WriteAllBytes(temp, bytes));
        }

        var (imagery, note) = Imagery(settings, identity.Source);
        var html = Build(settings, layer, identity, counts, imagery, note);
        AtomicFile.Write(Path.Combine(outputFolder, FileName), temp => File.WriteAllText(temp, html, new UTF8Encoding(false)));
        return note;
    }

    internal static string Build(ProductSettings settings, HeatmapLayerInfo layer, RunIdentity identity, (long Scored, long Empty, long Failed) counts, object? imagery, string note)
    {
        var config = new Dictionary<string, object?>
        {
            ["heatmap"] = HeatmapLayerDocuments.RelativeXyz,
            ["minZoom"] = layer.MinZoom,
            ["maxZoom"] = layer.MaxZoom,
            ["bounds"] = new[] { new[] { layer.South, layer.West }, new[] { layer.North, layer.East } },
            ["imagery"] = imagery,
        };

        // The default encoder escapes <, >, & and quotes as \uXXXX, so no string can close the script element.
        var configJson = JsonSerializer.Serialize(config);
        var labels = string.Join(',', identity.Labels);
        var rows = new (string Name, string Value)[]
        {
            ("Source", identity.Source),
            ("Tile matrix set", settings.MatrixSet.Identifier + " (EPSG:" + settings.MatrixSet.Epsg.ToString(CultureInfo.InvariantCulture) + ")"),
            ("Level", settings.Extent.Zoom.ToString(CultureInfo.InvariantCulture) + " (pyramid down to " + layer.MinZoom.ToString(CultureInfo.InvariantCulture) + ")"),
            ("Tiles", string.Create(CultureInfo.InvariantCulture, $"{counts.Scored} scored, {counts.Empty} empty, {counts.Failed} failed")),
            ("Score", "P(" + identity.PositiveLabel + ")"),
            ("Labels", labels),
            ("Model sha256", identity.ModelSha256),
            ("Colour map", settings.Colormap + (settings.Threshold > 0 ? " (below " + settings.Threshold.ToString("0.###", CultureInfo.InvariantCulture) + " transparent)" : string.Empty)),
            ("Date", settings.Date),
            ("UrbanScore", identity.Version),
        };
        var summary = new StringBuilder();
        foreach (var (name, value) in rows)
        {
            summary.Append("    <tr><th>").Append(Html(name)).Append("</th><td>").Append(Html(value)).Append("</td></tr>\n");
        }

        var template = Encoding.UTF8.GetString(Resource("index.template.html"));
        return template
            .Replace("{{TITLE}}", Html(layer.Name), StringComparison.Ordinal)
            .Replace("{{LEGEND_TITLE}}", Html(settings.Colormap + ", P(" + identity.PositiveLabel + ")"), StringComparison.Ordinal)
            .Replace("{{LEGEND_GRADIENT}}", LegendGradient(settings.Palette), StringComparison.Ordinal)
            .Replace("{{IMAGERY_NOTE}}", Html(note), StringComparison.Ordinal)
            .Replace("{{SUMMARY_ROWS}}", summary.ToString().TrimEnd('\n'), StringComparison.Ordinal)
            .Replace("{{CONFIG_JSON}}", configJson, StringComparison.Ordinal);
    }

    /// <summary>
    /// The imagery layer for Leaflet from the store's (redacted) source description: XYZ templates as they are, WMTS
    /// RESTful templates with {TileMatrix}/{TileRow}/{TileCol} mapped to the matrix identifiers; none when the URL held a
    /// secret (it was redacted, and a key must not be published in a web page), for KVP or non-web-mercator sources.
    /// </summary>
    internal static (object? Imagery, string Note) Imagery(ProductSettings settings, string source)
    {
        if (source.Contains(SecretRedactor.Mask, StringComparison.Ordinal))
        {
            return (null, "Imagery layer omitted: the source URL needed a key, which is never written into the viewer.");
        }

        if (!settings.MatrixSet.IsWebMercatorQuad)
        {
            return (null, "Imagery and heatmap overlay need a web mercator (EPSG:3857) run; open heatmap.tif in a GIS instead.");
        }

        if (source.StartsWith("XYZ ", StringComparison.Ordinal))
        {
            var url = source[4..].Trim();
            return IsHttp(url)
                ? (new { url, attribution = "Imagery: " + HostOf(url) }, "Imagery: " + HostOf(url) + ".")
                : (null, "Imagery layer omitted: the source is not an http(s) URL.");
        }

        const string rest = " via REST ";
        var at = source.IndexOf(rest, StringComparison.Ordinal);
        if (source.StartsWith("WMTS ", StringComparison.Ordinal) && at > 0)
        {
            var template = source[(at + rest.Length)..].Trim();
            var url = template
                .Replace("{TileMatrix}", "{m}", StringComparison.OrdinalIgnoreCase)
                .Replace("{TileRow}", "{y}", StringComparison.OrdinalIgnoreCase)
                .Replace("{TileCol}", "{x}", StringComparison.OrdinalIgnoreCase);
            var leftover = url.Replace("{m}", string.Empty, StringComparison.Ordinal).Replace("{x}", string.Empty, StringComparison.Ordinal).Replace("{y}", string.Empty, StringComparison.Ordinal);
            if (!IsHttp(url) || leftover.Contains('{', StringComparison.Ordinal))
            {
                return (null, "Imagery layer omitted: the WMTS URL template has placeholders the viewer cannot fill.");
            }

            var ids = settings.MatrixSet.Matrices.Select(m => m.Identifier).ToArray();
            return (new { url, matrixIds = ids, attribution = "Imagery: " + HostOf(url) }, "Imagery: WMTS from " + HostOf(url) + ".");
        }

        return (null, "Imagery layer omitted: the source is not an XYZ or RESTful WMTS URL a browser can load.");
    }

    /// <summary>A CSS linear-gradient of the palette over 0..1 (17 stops), thresholded levels transparent.</summary>
    internal static string LegendGradient(HeatmapPalette palette)
    {
        Span<byte> rgba = stackalloc byte[4];
        var stops = new List<string>();
        for (var i = 0; i <= 16; i++)
        {
            var level = Math.Min(255, i * 16);
            palette.MapLevel(level, rgba);
            stops.Add(string.Create(CultureInfo.InvariantCulture, $"rgba({rgba[0]},{rgba[1]},{rgba[2]},{rgba[3] / 255.0:0.###}) {i * 100 / 16.0:0.##}%"));
        }

        return "linear-gradient(to right, " + string.Join(", ", stops) + ")";
    }

    private static bool IsHttp(string url) => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static string HostOf(string url)
    {
        var start = url.IndexOf("//", StringComparison.Ordinal) + 2;
        var end = url.IndexOf('/', start);
        return end < 0 ? url[start..] : url[start..end];
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private static byte[] Resource(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = (assembly.GetManifestResourceStream(ResourcePrefix + name) ?? assembly.GetManifestResourceStream(ResourcePrefix + name.Replace('/', '\\')))
            ?? throw new InvalidOperationException("Viewer asset " + name + " is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
