using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// The heatmap described for map clients: <c>tilejson.json</c> (TileJSON 3.0.0) and <c>heatmap-wmts.xml</c> (OGC WMTS
/// 1.0.0 capabilities, one layer in the GoogleMapsCompatible set, RESTful). Every URL is absolute (TileJSON 3.0.0 and
/// GDAL's WMTS driver need that): under the base URL given, else under the <c>file://</c> URI of the output folder, so
/// both documents open from disk with no server; <c>urbanscore serve</c> rewrites the prefix to its own address
/// (<see cref="Rebase"/>). Web mercator runs only. Public only for the names and the rebasing a server of a run folder
/// needs; the engine writes the documents with the other products.
/// </summary>
public static partial class HeatmapLayerDocuments
{
    /// <summary>The TileJSON document in the output folder.</summary>
    public const string TileJsonFileName = "tilejson.json";

    /// <summary>The WMTS capabilities document in the output folder.</summary>
    public const string WmtsFileName = "heatmap-wmts.xml";

    /// <summary>Identifier of the heatmap layer in the WMTS document.</summary>
    internal const string LayerIdentifier = "urbanscore-heatmap";

    /// <summary>XYZ template relative to the output folder; every document URL ends with it or one of its siblings.</summary>
    internal const string RelativeXyz = "heatmap/{z}/{x}/{y}.png";

    private const string RelativeWmts = "heatmap/{TileMatrix}/{TileCol}/{TileRow}.png";

    // OGC WMTS 1.0.0 Annex E.4 (GoogleMapsCompatible): scale denominator of level 0 and the top-left corner.
    private const double Level0ScaleDenominator = 559082264.0287178;
    private const string TopLeftCorner = "-20037508.3427892 20037508.3427892";

    private static readonly XNamespace s_wmts = "http://www.opengis.net/wmts/1.0";
    private static readonly XNamespace s_ows = "http://www.opengis.net/ows/1.1";
    private static readonly XNamespace s_xlink = "http://www.w3.org/1999/xlink";

    /// <summary>The prefix of every URL: <paramref name="baseUrl"/>, or the folder's own <c>file://</c> URI (ending with '/').</summary>
    internal static string Prefix(string outputFolder, string? baseUrl) =>
        baseUrl ?? new Uri(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputFolder)) + Path.DirectorySeparatorChar).AbsoluteUri;

    /// <param name="layer">What the layer is.</param>
    /// <param name="root">URL prefix ending with '/' (<see cref="Prefix"/>).</param>
    internal static string TileJson(HeatmapLayerInfo layer, string root)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("tilejson", "3.0.0");
            json.WriteString("name", layer.Name);
            json.WriteString("description", layer.Description);
            json.WriteString("version", "1.0.0");
            json.WriteString("attribution", layer.Attribution);
            json.WriteString("scheme", "xyz");
            json.WriteStartArray("tiles");
            json.WriteStringValue(root + RelativeXyz);
            json.WriteEndArray();
            json.WriteNumber("minzoom", layer.MinZoom);
            json.WriteNumber("maxzoom", layer.MaxZoom);
            json.WriteStartArray("bounds");
            json.WriteNumberValue(Math.Round(layer.West, 7));
            json.WriteNumberValue(Math.Round(layer.South, 7));
            json.WriteNumberValue(Math.Round(layer.East, 7));
            json.WriteNumberValue(Math.Round(layer.North, 7));
            json.WriteEndArray();
            json.WriteStartArray("center");
            json.WriteNumberValue(Math.Round(layer.CenterLon, 7));
            json.WriteNumberValue(Math.Round(layer.CenterLat, 7));
            json.WriteNumberValue(layer.CenterZoom);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <param name="layer">What the layer is.</param>
    /// <param name="root">URL prefix ending with '/' (<see cref="Prefix"/>).</param>
    internal static string Wmts(HeatmapLayerInfo layer, string root)
    {
        var set = new XElement(
            s_wmts + "TileMatrixSet",
            new XElement(s_ows + "Identifier", "GoogleMapsCompatible"),
            new XElement(s_ows + "SupportedCRS", "urn:ogc:def:crs:EPSG::3857"),
            new XElement(s_wmts + "WellKnownScaleSet", "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible"));
        var limits = new XElement(s_wmts + "TileMatrixSetLimits");
        for (var z = 0; z <= layer.MaxZoom; z++)
        {
            var n = (1L << z).ToString(CultureInfo.InvariantCulture);
            set.Add(new XElement(
                s_wmts + "TileMatrix",
                new XElement(s_ows + "Identifier", z.ToString(CultureInfo.InvariantCulture)),
                new XElement(s_wmts + "ScaleDenominator", (Level0ScaleDenominator / Math.Pow(2, z)).ToString("R", CultureInfo.InvariantCulture)),
                new XElement(s_wmts + "TopLeftCorner", TopLeftCorner),
                new XElement(s_wmts + "TileWidth", "256"),
                new XElement(s_wmts + "TileHeight", "256"),
                new XElement(s_wmts + "MatrixWidth", n),
                new XElement(s_wmts + "MatrixHeight", n)));
            if (z >= layer.MinZoom)
            {
                var min = WebMercator.TileAt(new LonLat(Lon: layer.West + 1e-9, Lat: layer.North - 1e-9), z);
                var max = WebMercator.TileAt(new LonLat(Lon: layer.East - 1e-9, Lat: layer.South + 1e-9), z);
                limits.Add(new XElement(
                    s_wmts + "TileMatrixLimits",
                    new XElement(s_wmts + "TileMatrix", z.ToString(CultureInfo.InvariantCulture)),
                    new XElement(s_wmts + "MinTileRow", min.Row.ToString(CultureInfo.InvariantCulture)),
                    new XElement(s_wmts + "MaxTileRow", max.Row.ToString(CultureInfo.InvariantCulture)),
                    new XElement(s_wmts + "MinTileCol", min.Col.ToString(CultureInfo.InvariantCulture)),
                    new XElement(s_wmts + "MaxTileCol", max.Col.ToString(CultureInfo.InvariantCulture))));
            }
        }

        string Corner(double lon, double lat) => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(lon, 7):R} {Math.Round(lat, 7):R}");
        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(
                s_wmts + "Capabilities",
                new XAttribute("xmlns", s_wmts.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "ows", s_ows.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "xlink", s_xlink.NamespaceName),
                new XAttribute("version", "1.0.0"),
                new XElement(
                    s_ows + "ServiceIdentification",
                    new XElement(s_ows + "Title", layer.Name),
                    new XElement(s_ows + "ServiceType", "OGC WMTS"),
                    new XElement(s_ows + "ServiceTypeVersion", "1.0.0")),
                new XElement(
                    s_wmts + "Contents",
                    new XElement(
                        s_wmts + "Layer",
                        new XElement(s_ows + "Title", layer.Name),
                        new XElement(s_ows + "Abstract", layer.Description + ". " + layer.Attribution),
                        new XElement(
                            s_ows + "WGS84BoundingBox",
                            new XElement(s_ows + "LowerCorner", Corner(layer.West, layer.South)),
                            new XElement(s_ows + "UpperCorner", Corner(layer.East, layer.North))),
                        new XElement(s_ows + "Identifier", LayerIdentifier),
                        new XElement(s_wmts + "Style", new XAttribute("isDefault", "true"), new XElement(s_ows + "Identifier", "default")),
                        new XElement(s_wmts + "Format", "image/png"),
                        new XElement(s_wmts + "TileMatrixSetLink", new XElement(s_wmts + "TileMatrixSet", "GoogleMapsCompatible"), limits),
                        new XElement(
                            s_wmts + "ResourceURL",
                            new XAttribute("format", "image/png"),
                            new XAttribute("resourceType", "tile"),
                            new XAttribute("template", root + RelativeWmts))),
                    set),
                new XElement(s_wmts + "ServiceMetadataURL", new XAttribute(s_xlink + "href", root + WmtsFileName))));
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            document.Save(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// Re-points the URLs of a written tilejson.json or heatmap-wmts.xml to <paramref name="root"/> (used by
    /// <c>urbanscore serve</c> with its own address): whatever prefix the document was written with — the folder's
    /// <c>file://</c> URI, a <c>--base-url</c>, or nothing (documents of older versions) — is replaced.
    /// </summary>
    public static string Rebase(string document, string root) => DocumentUrl().Replace(
        document,
        m => m.Groups["q"].Value + root + m.Groups["tail"].Value + m.Groups["q"].Value);

    // A quoted URL ending with one of the three document tails; the prefix before it is anything but a quote.
    [GeneratedRegex("""(?<q>")[^"]*?(?<tail>heatmap/\{z\}/\{x\}/\{y\}\.png|heatmap/\{TileMatrix\}/\{TileCol\}/\{TileRow\}\.png|heatmap-wmts\.xml)\k<q>""", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentUrl();
}
