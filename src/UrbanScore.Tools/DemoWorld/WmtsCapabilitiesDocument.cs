using System.Globalization;
using System.Text;
using System.Xml;

namespace UrbanScore.Tools.DemoWorld;

/// <summary>The demo world's WMTS 1.0.0 capabilities (OGC 07-057r7) and OWS 1.1 exception reports (OGC 06-121r3).</summary>
internal static class WmtsCapabilitiesDocument
{
    /// <summary>Layer identifier.</summary>
    public const string Layer = "demo";

    /// <summary>Style identifier.</summary>
    public const string Style = "default";

    /// <summary>Tile matrix set identifier (OGC 07-057r7 Annex E.4 well-known scale set).</summary>
    public const string MatrixSet = "GoogleMapsCompatible";

    /// <summary>Scale denominator of GoogleMapsCompatible level 0 (OGC 07-057r7 Annex E.4, 0.28 mm pixels).</summary>
    public const double Level0ScaleDenominator = 559082264.0287178;

    /// <summary>Top-left corner of every matrix in EPSG:3857 metres (π·6378137).</summary>
    public const string TopLeftCorner = "-20037508.3427892 20037508.3427892";

    public const string Title = "UrbanScore demo world (synthetic imagery, not a real map)";

    /// <summary>Dimension identifier of the world's year (OGC 07-057r7 §7.2.4.6.11, values ISO 8601 years).</summary>
    public const string TimeDimension = "Time";

    /// <summary>The capabilities with the served years and the default year.</summary>
    public static string Build(Uri baseUri) => Build(baseUri, DemoWorldRenderer.ServedYears, DemoWorldRenderer.DefaultYear);

    public static string Build(Uri baseUri, IReadOnlyList<int> years, int defaultYear)
    {
        var root = baseUri.AbsoluteUri;
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, settings))
        {
            const string wmts = "http://www.opengis.net/wmts/1.0";
            const string ows = "http://www.opengis.net/ows/1.1";
            const string xlink = "http://www.w3.org/1999/xlink";
            w.WriteStartDocument();
            w.WriteStartElement("Capabilities", wmts);
            w.WriteAttributeString("xmlns", "ows", null, ows);
            w.WriteAttributeString("xmlns", "xlink", null, xlink);
            w.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
            w.WriteAttributeString("xsi", "schemaLocation", "http://www.w3.org/2001/XMLSchema-instance", "http://www.opengis.net/wmts/1.0 http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd");
            w.WriteAttributeString("version", "1.0.0");

            w.WriteStartElement("ows", "ServiceIdentification", ows);
            w.WriteElementString("ows", "Title", ows, Title);
            w.WriteElementString("ows", "Abstract", ows, "Procedurally rendered, satellite-like SYNTHETIC imagery served by UrbanScore for offline demos and tests. Coasts, rivers, forests and fields are invented; towns are placed and sized from the GeoNames city list (CC BY 4.0, https://www.geonames.org/).");
            w.WriteElementString("ows", "ServiceType", ows, "OGC WMTS");
            w.WriteElementString("ows", "ServiceTypeVersion", ows, "1.0.0");
            w.WriteElementString("ows", "Fees", ows, "none");
            w.WriteElementString("ows", "AccessConstraints", ows, "none");
            w.WriteEndElement();

            w.WriteStartElement("ows", "OperationsMetadata", ows);
            foreach (var operation in new[] { "GetCapabilities", "GetTile" })
            {
                w.WriteStartElement("ows", "Operation", ows);
                w.WriteAttributeString("name", operation);
                w.WriteStartElement("ows", "DCP", ows);
                w.WriteStartElement("ows", "HTTP", ows);
                foreach (var (href, encoding) in new[] { (root + "wmts/1.0.0/", "RESTful"), (root + "wmts?", "KVP") })
                {
                    w.WriteStartElement("ows", "Get", ows);
                    w.WriteAttributeString("xlink", "href", xlink, href);
                    w.WriteStartElement("ows", "Constraint", ows);
                    w.WriteAttributeString("name", "GetEncoding");
                    w.WriteStartElement("ows", "AllowedValues", ows);
                    w.WriteElementString("ows", "Value", ows, encoding);
                    w.WriteEndElement();
                    w.WriteEndElement();
                    w.WriteEndElement();
                }

                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteEndElement();

            w.WriteStartElement("Contents", wmts);
            w.WriteStartElement("Layer", wmts);
            w.WriteElementString("ows", "Title", ows, "Demo world (synthetic imagery)");
            w.WriteStartElement("ows", "WGS84BoundingBox", ows);
            w.WriteElementString("ows", "LowerCorner", ows, "-180 -85.0511287798066");
            w.WriteElementString("ows", "UpperCorner", ows, "180 85.0511287798066");
            w.WriteEndElement();
            w.WriteElementString("ows", "Identifier", ows, Layer);
            w.WriteStartElement("Style", wmts);
            w.WriteAttributeString("isDefault", "true");
            w.WriteElementString("ows", "Identifier", ows, Style);
            w.WriteEndElement();
            w.WriteElementString("Format", wmts, "image/jpeg");
            w.WriteStartElement("Dimension", wmts);
            w.WriteElementString("ows", "Identifier", ows, TimeDimension);
            w.WriteElementString("UOM", ows, "ISO8601");
            w.WriteElementString("Default", wmts, defaultYear.ToString(CultureInfo.InvariantCulture));
            foreach (var year in years)
            {
                w.WriteElementString("Value", wmts, year.ToString(CultureInfo.InvariantCulture));
            }

            w.WriteEndElement();
            w.WriteStartElement("TileMatrixSetLink", wmts);
            w.WriteElementString("TileMatrixSet", wmts, MatrixSet);
            w.WriteEndElement();
            w.WriteStartElement("ResourceURL", wmts);
            w.WriteAttributeString("format", "image/jpeg");
            w.WriteAttributeString("resourceType", "tile");
            w.WriteAttributeString("template", root + "wmts/1.0.0/" + Layer + "/{Style}/{Time}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.jpg");
            w.WriteEndElement();
            w.WriteEndElement();

            w.WriteStartElement("TileMatrixSet", wmts);
            w.WriteElementString("ows", "Identifier", ows, MatrixSet);
            w.WriteElementString("ows", "SupportedCRS", ows, "urn:ogc:def:crs:EPSG::3857");
            w.WriteElementString("WellKnownScaleSet", wmts, "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible");
            for (var z = 0; z <= DemoWorldRenderer.MaxZoom; z++)
            {
                var size = (1L << z).ToString(CultureInfo.InvariantCulture);
                w.WriteStartElement("TileMatrix", wmts);
                w.WriteElementString("ows", "Identifier", ows, z.ToString(CultureInfo.InvariantCulture));
                w.WriteElementString("ScaleDenominator", wmts, (Level0ScaleDenominator / (1L << z)).ToString("R", CultureInfo.InvariantCulture));
                w.WriteElementString("TopLeftCorner", wmts, TopLeftCorner);
                w.WriteElementString("TileWidth", wmts, "256");
                w.WriteElementString("TileHeight", wmts, "256");
                w.WriteElementString("MatrixWidth", wmts, size);
                w.WriteElementString("MatrixHeight", wmts, size);
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>An OWS 1.1 ExceptionReport with one exception.</summary>
    public static string Exception(string code, string? locator, string text)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, settings))
        {
            const string ows = "http://www.opengis.net/ows/1.1";
            w.WriteStartDocument();
            w.WriteStartElement("ExceptionReport", ows);
            w.WriteAttributeString("version", "1.1.0");
            w.WriteAttributeString("xml", "lang", null, "en");
            w.WriteStartElement("Exception", ows);
            w.WriteAttributeString("exceptionCode", code);
            if (locator is not null)
            {
                w.WriteAttributeString("locator", locator);
            }

            w.WriteElementString("ExceptionText", ows, text);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
