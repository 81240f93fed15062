using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using UrbanScore.Sources;
using UrbanScore.Storage;

namespace UrbanScore.Rendering;

/// <summary>
/// Writes the viewer: <c>index.html</c> (a Leaflet map with the source imagery when the browser can load it, the
/// heatmap overlay, an opacity slider, a legend and the run summary) and Leaflet 1.9.4 itself under <c>viewer/</c>
/// (from npm, embedded in this assembly: no CDN). Every string taken from the run (source, labels, capabilities
/// titles) is HTML-escaped; the map configuration is JSON inside a non-executed script element. Public only for the
/// names a server of a run folder needs; the engine writes the viewer with the other products.
/// </summary>
public static partial class ViewerWriter
{
    /// <summary>The viewer's page in the output folder.</summary>
    public const string FileName = "index.html";

    /// <summary>The folder of the viewer's Leaflet assets in the output folder.</summary>
    internal const string AssetFolder = "viewer";

    /// <summary>The source description of runs of the built-in demo world (the same in every run, whatever its port).</summary>
    public const string DemoWorldSource = "UrbanScore demo world (synthetic imagery, rendered again by urbanscore serve)";

    /// <summary>Where <c>urbanscore serve</c> answers the demo world's imagery: <c>demo-world/{z}/{x}/{y}.jpg</c>.</summary>
    public const string DemoWorldFolder = "demo-world";

    private const string DimensionsMarker = Wmts.WmtsTileSource.DimensionsMarker;

    private const string ResourcePrefix = "UrbanScore.Viewer.";

    /// <summary>Files copied under <c>viewer/</c> (Leaflet's CSS loads <c>images/</c> relative to itself).</summary>
    private static readonly string[] s_assets =
    [
        "leaflet.js", "leaflet.css", "LEAFLET-LICENSE",
        "images/layers.png", "images/layers-2x.png", "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png",
    ];

    /// <summary>Writes index.html and the Leaflet assets; returns the note about the imagery layer (shown on the page too).</summary>
    internal static string Write(string outputFolder, ProductSettings settings, HeatmapLayerInfo layer, RunIdentity identity, (long Scored, long Empty, long Failed) counts, string? urbanArea = null)
    {
        WriteAssets(outputFolder);
        var (imagery, note) = Imagery(settings, identity.Source);
        var html = Build(settings, layer, identity, counts, imagery, note, urbanArea);
        AtomicFile.Write(Path.Combine(outputFolder, FileName), temp => File.WriteAllText(temp, html, new UTF8Encoding(false)));
        return note;
    }

    /// <summary>Copies Leaflet under <c>viewer/</c>.</summary>
    internal static void WriteAssets(string outputFolder)
    {
        foreach (var asset in s_assets)
        {
            var target = Path.Combine(outputFolder, AssetFolder, asset.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var bytes = Resource(asset);
            AtomicFile.Write(target, temp => File.WriteAllBytes(temp, bytes));
        }
    }

    internal static string Build(ProductSettings settings, HeatmapLayerInfo layer, RunIdentity identity, (long Scored, long Empty, long Failed) counts, ViewerImagery? imagery, string note, string? urbanArea = null)
    {
        var config = new ViewerConfig(
            Heatmap: HeatmapLayerDocuments.RelativeXyz,
            MinZoom: layer.MinZoom,
            MaxZoom: layer.MaxZoom,
            Bounds: [[layer.South, layer.West], [layer.North, layer.East]],
            Imagery: imagery);

        // The default encoder escapes <, >, & and quotes as \uXXXX, so no string can close the script element.
        var configJson = JsonSerializer.Serialize(config, RenderingJson.Default.ViewerConfig);
        var labels = string.Join(',', identity.Labels);
        var rows = new (string Name, string Value)[]
        {
            ("Source", identity.Source),
            ("Tile matrix set", settings.MatrixSet.Identifier + " (EPSG:" + settings.MatrixSet.Epsg.ToString(CultureInfo.InvariantCulture) + ")"),
            ("Level", settings.Extent.Zoom.ToString(CultureInfo.InvariantCulture) + " (pyramid down to " + layer.MinZoom.ToString(CultureInfo.InvariantCulture) + ")"),
            ("Tiles", string.Create(CultureInfo.InvariantCulture, $"{counts.Scored} scored, {counts.Empty} empty, {counts.Failed} failed")),
            ("Urban area", urbanArea ?? "?"),
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

        var template = Template("index.template.html");
        return template
            .Replace("{{TITLE}}", Html(layer.Name), StringComparison.Ordinal)
            .Replace("{{LEGEND_TITLE}}", Html(settings.Colormap + ", P(" + identity.PositiveLabel + ")"), StringComparison.Ordinal)
            .Replace("{{LEGEND_GRADIENT}}", LegendGradient(settings.Palette), StringComparison.Ordinal)
            .Replace("{{IMAGERY_NOTE}}", Html(note), StringComparison.Ordinal)
            .Replace("{{SUMMARY_ROWS}}", summary.ToString().TrimEnd('\n'), StringComparison.Ordinal)
            .Replace("{{CONFIG_JSON}}", configJson, StringComparison.Ordinal);
    }

    /// <summary>
    /// The imagery layer for Leaflet from the store's (redacted) source description: XYZ templates as they are; RESTful
    /// WMTS templates with every placeholder filled ({Layer}, {Style}, {TileMatrixSet}, the dimensions recorded with the
    /// source) and {TileMatrix}/{TileRow}/{TileCol} mapped to the matrix identifiers; KVP WMTS through its GetTile URL
    /// with TILEMATRIX/TILEROW/TILECOL as placeholders; the demo world from <c>urbanscore serve</c>, which renders it.
    /// None, with the reason for the page, when the URL held a secret (it was redacted, and a key must not be published
    /// in a web page) or the run is not web mercator.
    /// </summary>
    internal static (ViewerImagery? Imagery, string Note) Imagery(ProductSettings settings, string source)
    {
        if (source.Contains(SecretRedactor.Mask, StringComparison.Ordinal))
        {
            return (null, "Imagery layer omitted: the source needs a key (in its URL or a header), which is never written into the viewer.");
        }

        if (!settings.MatrixSet.IsWebMercatorQuad)
        {
            return (null, "Imagery and heatmap overlay need a web mercator (EPSG:3857) run; open heatmap.tif in a GIS instead.");
        }

        var ids = settings.MatrixSet.Matrices.Select(m => m.Identifier).ToArray();
        if (source == DemoWorldSource)
        {
            return (new ViewerImagery(Url: DemoWorldFolder + "/{z}/{x}/{y}.jpg", MatrixIds: null, MaxNativeZoom: settings.MatrixSet.Matrices.Count - 1, ServedOnly: true, Attribution: "Imagery: UrbanScore demo world (synthetic)"),
                "Imagery: the synthetic demo world, rendered by urbanscore serve (a page opened as a file shows the heatmap only).");
        }

        if (source.StartsWith("XYZ ", StringComparison.Ordinal))
        {
            var url = source[4..].Trim();
            if (!IsHttp(url))
            {
                return (null, "Imagery layer omitted: the source is not an http(s) URL.");
            }

            return Leftover(url, "{z}", "{x}", "{y}", "{-y}", "{s}") is { } unknown
                ? (null, "Imagery layer omitted: Leaflet cannot fill the placeholder " + unknown + " of the XYZ template.")
                : (new ViewerImagery(Url: url, MatrixIds: null, MaxNativeZoom: ids.Length - 1, ServedOnly: null, Attribution: "Imagery: " + HostOf(url)), "Imagery: " + HostOf(url) + ".");
        }

        var wmts = WmtsSource().Match(source);
        if (!wmts.Success)
        {
            return (null, "Imagery layer omitted: the source is not an XYZ or WMTS URL a browser can load.");
        }

        var how = wmts.Groups["how"].Value;
        if (wmts.Groups["encoding"].Value == "REST")
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Layer"] = wmts.Groups["layer"].Value,
                ["Style"] = wmts.Groups["style"].Value,
                ["TileMatrixSet"] = wmts.Groups["set"].Value,
                ["TileMatrix"] = "{m}",
                ["TileRow"] = "{y}",
                ["TileCol"] = "{x}",
            };
            var template = how;
            var dimensions = how.IndexOf(DimensionsMarker, StringComparison.Ordinal);
            if (dimensions >= 0)
            {
                template = how[..dimensions];
                foreach (var pair in how[(dimensions + DimensionsMarker.Length)..].Split(", "))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals > 0)
                    {
                        values[pair[..equals]] = pair[(equals + 1)..];
                    }
                }
            }

            string? unfilled = null;
            var url = Placeholder().Replace(template.Trim(), m => values.TryGetValue(m.Groups[1].Value, out var v)
                ? (v.StartsWith('{') ? v : Uri.EscapeDataString(v).Replace("%3A", ":", StringComparison.Ordinal))
                : (unfilled ??= m.Value));
            if (unfilled is not null)
            {
                return (null, "Imagery layer omitted: the WMTS template has the placeholder " + unfilled + ", and no value for it was recorded with the run.");
            }

            return IsHttp(url)
                ? (new ViewerImagery(Url: url, MatrixIds: ids, MaxNativeZoom: ids.Length - 1, ServedOnly: null, Attribution: "Imagery: " + HostOf(url)), "Imagery: WMTS from " + HostOf(url) + ".")
                : (null, "Imagery layer omitted: the WMTS template is not an http(s) URL.");
        }

        // KVP: the description holds the GetTile URL of tile 0/0/0; its three tile parameters become placeholders.
        var kvp = how.Trim();
        if (!IsHttp(kvp))
        {
            return (null, "Imagery layer omitted: the WMTS GetTile URL is not an http(s) URL.");
        }

        var filled = 0;
        var getTile = KvpTileParameter().Replace(kvp, m =>
        {
            filled++;
            var name = m.Groups["name"].Value.ToUpperInvariant();
            return m.Groups["lead"].Value + m.Groups["name"].Value + "=" + (name == "TILEMATRIX" ? "{m}" : name == "TILEROW" ? "{y}" : "{x}");
        });
        return filled == 3
            ? (new ViewerImagery(Url: getTile, MatrixIds: ids, MaxNativeZoom: ids.Length - 1, ServedOnly: null, Attribution: "Imagery: " + HostOf(getTile)), "Imagery: WMTS (KVP) from " + HostOf(getTile) + ".")
            : (null, "Imagery layer omitted: the WMTS GetTile URL lacks TILEMATRIX, TILEROW or TILECOL.");
    }

    /// <summary>The first placeholder of <paramref name="url"/> not in <paramref name="known"/>, or null.</summary>
    private static string? Leftover(string url, params string[] known)
    {
        foreach (Match m in Placeholder().Matches(url))
        {
            if (!known.Contains(m.Value, StringComparer.Ordinal))
            {
                return m.Value;
            }
        }

        return null;
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

    internal static string Html(string text) => WebUtility.HtmlEncode(text);

    // WmtsTileSource's description: "WMTS layer 'L' (SET, style 'S', FORMAT) via REST|KVP …".
    [GeneratedRegex(@"^WMTS layer '(?<layer>[^']*)' \((?<set>[^,]*), style '(?<style>[^']*)', [^)]*\) via (?<encoding>REST|KVP) (?<how>.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex WmtsSource();

    [GeneratedRegex(@"\{([^{}]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\{\{> (?<name>[a-z-]+)\}\}\n", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex Partial();

    [GeneratedRegex(@"(?<lead>[?&])(?<name>TILEMATRIX|TILEROW|TILECOL)=[^&]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex KvpTileParameter();

    /// <summary>
    /// A page template (UTF-8) with its shared parts put in: each line <c>{{&gt; NAME}}</c> is replaced by the embedded
    /// <c>NAME.partial.html</c> (the head, legend styles and script boot the viewer and the comparison page share).
    /// </summary>
    internal static string Template(string name) => Partial().Replace(
        Encoding.UTF8.GetString(Resource(name)),
        m => Encoding.UTF8.GetString(Resource(m.Groups["name"].Value + ".partial.html")));

    internal static byte[] Resource(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = (assembly.GetManifestResourceStream(ResourcePrefix + name) ?? assembly.GetManifestResourceStream(ResourcePrefix + name.Replace('/', '\\')))
            ?? throw new InvalidOperationException("Viewer asset " + name + " is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
