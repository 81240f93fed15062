using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Wmts;

/// <summary>
/// Reads WMTS 1.0.0 GetCapabilities documents leniently, the way real servers write them (a UTF-8 BOM, <c>LowerCorner</c> without its <c>ows:</c> prefix): elements
/// are matched by local name whatever their namespace, numbers are parsed as doubles ("2.0"), and TopLeftCorner axis
/// order follows GDAL's rule with its auto-corrections. DTDs are refused and no external resource is ever
/// resolved (XXE).
/// </summary>
public static class WmtsCapabilitiesParser
{
    /// <summary>Largest capabilities document accepted (swisstopo's 652-layer document is 1.6 MB).</summary>
    public const int MaxDocumentBytes = 20 * 1024 * 1024;

    /// <summary>Longest wait for a capabilities answer to begin (a wrong host must fail within seconds).</summary>
    private static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(15);

    private const double MercatorTolerance = 1.0; // metres; GWC writes 2.0037508E7, 0.34 m off

    /// <summary>
    /// Loads capabilities from an http(s) URL (with <paramref name="httpClient"/>, borrowed) or a file path.
    /// </summary>
    /// <param name="location">An http(s) URL or a file path.</param>
    /// <param name="httpClient">Client used for URLs; the caller owns it.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <exception cref="WmtsCapabilitiesException">Not reachable, not XML, not WMTS, or an OWS exception report.</exception>
    public static async Task<WmtsCapabilities> LoadAsync(string location, HttpClient httpClient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(httpClient);
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            var bytes = await DownloadAsync(uri, httpClient, cancellationToken).ConfigureAwait(false);
            using var memory = new MemoryStream(bytes, writable: false);
            return Parse(memory, uri);
        }

        return ParseFile(location);
    }

    /// <summary>Parses a capabilities file.</summary>
    /// <exception cref="WmtsCapabilitiesException">Missing, not XML, not WMTS, or an OWS exception report.</exception>
    public static WmtsCapabilities ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new WmtsCapabilitiesException($"The capabilities file '{path}' does not exist; give a WMTS GetCapabilities URL or an existing file.");
        }

        using var stream = File.OpenRead(path);
        return Parse(stream, new Uri(Path.GetFullPath(path)));
    }

    /// <summary>Parses a capabilities document.</summary>
    /// <param name="stream">The document (any encoding XmlReader detects; BOM allowed).</param>
    /// <param name="source">Where it came from: relative hrefs and templates are resolved against it; or null.</param>
    /// <exception cref="WmtsCapabilitiesException">Not XML, not WMTS, or an OWS exception report.</exception>
    public static WmtsCapabilities Parse(Stream stream, Uri? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var where = source is null ? "The capabilities document" : $"The capabilities document at {SecretRedactor.Redact(source.ToString())}";
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                MaxCharactersInDocument = MaxDocumentBytes * 2L,
            };
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new WmtsCapabilitiesException($"{where} contains a DTD, which UrbanScore refuses to process (it could read local files); ask the provider for a plain WMTS capabilities document.", ex);
        }
        catch (XmlException ex)
        {
            throw new WmtsCapabilitiesException($"{where} is not XML ({ex.Message}); check that the URL or file is a WMTS GetCapabilities document.", ex);
        }

        var root = document.Root!;
        switch (root.Name.LocalName)
        {
            case "Capabilities":
                break;
            case "ExceptionReport" or "ServiceExceptionReport":
                var text = Descendants(root, "ExceptionText").Select(e => e.Value.Trim()).FirstOrDefault()
                    ?? Descendants(root, "ServiceException").Select(e => e.Value.Trim()).FirstOrDefault() ?? string.Empty;
                var code = Descendants(root, "Exception").Select(e => (string?)e.Attribute("exceptionCode")).FirstOrDefault();
                throw new WmtsCapabilitiesException($"{where} is an OWS exception report{(code is null ? string.Empty : $" ({code})")}: \"{SecretRedactor.Redact(Collapse(text))}\"; fix the request the server complains about.");
            case "WMS_Capabilities" or "WMT_MS_Capabilities":
                throw new WmtsCapabilitiesException($"{where} describes a WMS, not a WMTS; UrbanScore reads WMTS 1.0.0 capabilities (REQUEST=GetCapabilities&SERVICE=WMTS).");
            default:
                throw new WmtsCapabilitiesException($"{where} is XML with root element <{root.Name.LocalName}>, not a WMTS <Capabilities> document; check the URL (SERVICE=WMTS&REQUEST=GetCapabilities).");
        }

        var title = Child(Child(root, "ServiceIdentification"), "Title")?.Value.Trim();
        var contents = Child(root, "Contents");
        var tileMatrixSets = Children(contents, "TileMatrixSet").Select(ParseTileMatrixSet).ToList();
        var layers = Children(contents, "Layer").Select(ParseLayer).ToList();
        var (kvp, rest) = ParseGetTile(Child(root, "OperationsMetadata"), source);
        return new WmtsCapabilities(string.IsNullOrEmpty(title) ? null : title, layers, tileMatrixSets, kvp, rest, source);
    }

    private static async Task<byte[]> DownloadAsync(Uri uri, HttpClient httpClient, CancellationToken cancellationToken)
    {
        var shown = SecretRedactor.Redact(uri.ToString());
        var hostPort = uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        try
        {
            // The answer must begin within HeaderTimeout, so a server that never answers is reported in seconds; the
            // body of a large document may then take the client's whole allowance.
            HttpResponseMessage answer;
            using (var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                headers.CancelAfter(HeaderTimeout);
                try
                {
                    answer = await httpClient.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new WmtsCapabilitiesException(string.Create(CultureInfo.InvariantCulture,
                        $"Cannot reach {hostPort} (no answer within {HeaderTimeout.TotalSeconds:0} s) for the capabilities; check the host, port and network."), ex);
                }
            }

            using var response = answer;
            if ((int)response.StatusCode is 401 or 403 or 407)
            {
                throw new WmtsCapabilitiesException(string.Create(CultureInfo.InvariantCulture,
                    $"The server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase} for the capabilities URL {shown}: the API key is missing or wrong; pass it in a request header such as 'Name: {{env:MY_KEY}}' or in the URL's key parameter as the service documents (keys are never printed)."))
                { Subject = InputSubject.Headers };
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new WmtsCapabilitiesException(string.Create(CultureInfo.InvariantCulture,
                    $"The server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase} for the capabilities URL {shown}; check the URL and any API key."));
            }

            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
            {
                throw TooLarge(shown);
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var memory = new MemoryStream();
                var buffer = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (memory.Length + read > MaxDocumentBytes)
                    {
                        throw TooLarge(shown);
                    }

                    memory.Write(buffer, 0, read);
                }

                return memory.ToArray();
            }
        }
        catch (HttpRequestException ex)
        {
            throw new WmtsCapabilitiesException($"Cannot reach {hostPort} ({NetworkFailure.Cause(ex, SecretRedactor.Redact)}) for the capabilities at {shown}; check the URL and the network.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WmtsCapabilitiesException($"Downloading the capabilities from {shown} timed out; try again or check the server.", ex);
        }
    }

    private static WmtsCapabilitiesException TooLarge(string shown) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The capabilities at {shown} exceed {MaxDocumentBytes / (1024 * 1024)} MB; save them to a file and pass the file instead."));

    private static WmtsLayer ParseLayer(XElement layer)
    {
        var styles = Children(layer, "Style")
            .Select(s => new WmtsStyle(
                Identifier: Child(s, "Identifier")?.Value.Trim() ?? string.Empty,
                IsDefault: string.Equals(((string?)s.Attribute("isDefault"))?.Trim(), "true", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        // CARIS lists several TileMatrixSet elements in one link; each is a link of its own (as OWSLib reads it).
        var links = Children(layer, "TileMatrixSetLink")
            .SelectMany(link => Children(link, "TileMatrixSet").Select(set => new WmtsTileMatrixSetLink(
                TileMatrixSet: set.Value.Trim(),
                Limits: [.. Children(Child(link, "TileMatrixSetLimits"), "TileMatrixLimits").Select(ParseLimits)])))
            .ToList();
        var resources = Children(layer, "ResourceURL")
            .Select(r => new WmtsResourceUrl(
                Format: ((string?)r.Attribute("format"))?.Trim() ?? string.Empty,
                ResourceType: ((string?)r.Attribute("resourceType"))?.Trim() ?? string.Empty,
                Template: ((string?)r.Attribute("template"))?.Trim() ?? string.Empty))
            .ToList();
        var dimensions = Children(layer, "Dimension")
            .Select(d => new WmtsDimension(
                Identifier: Child(d, "Identifier")?.Value.Trim() ?? string.Empty,
                Default: Child(d, "Default")?.Value.Trim(),
                Values: [.. Children(d, "Value").Select(v => v.Value.Trim())]))
            .ToList();
        var title = Child(layer, "Title")?.Value.Trim();
        return new WmtsLayer(
            Identifier: Child(layer, "Identifier")?.Value.Trim() ?? string.Empty,
            Title: title,
            Formats: [.. Children(layer, "Format").Select(f => f.Value.Trim())],
            Styles: styles,
            Wgs84BoundingBox: ParseWgs84Box(Child(layer, "WGS84BoundingBox")),
            TileMatrixSetLinks: links,
            ResourceUrls: resources,
            Dimensions: dimensions);
    }

    private static WmtsTileMatrixLimits ParseLimits(XElement limits) => new(
        TileMatrix: Child(limits, "TileMatrix")?.Value.Trim() ?? string.Empty,
        MinTileRow: ParseLong(Child(limits, "MinTileRow")),
        MaxTileRow: ParseLong(Child(limits, "MaxTileRow")),
        MinTileCol: ParseLong(Child(limits, "MinTileCol")),
        MaxTileCol: ParseLong(Child(limits, "MaxTileCol")));

    private static BoundingBox? ParseWgs84Box(XElement? box)
    {
        var lower = ParsePair(Child(box, "LowerCorner")?.Value);
        var upper = ParsePair(Child(box, "UpperCorner")?.Value);
        if (lower is not { } lo || upper is not { } up)
        {
            return null;
        }

        // CRS84 is lon/lat, but a |latitude| > 90 says the server wrote lat/lon (GDAL applies the same check).
        if ((Math.Abs(lo.B) > 90 || Math.Abs(up.B) > 90) && Math.Abs(lo.A) <= 90 && Math.Abs(up.A) <= 90)
        {
            lo = (lo.B, lo.A);
            up = (up.B, up.A);
        }

        return new BoundingBox(MinX: lo.A, MinY: lo.B, MaxX: up.A, MaxY: up.B);
    }

    private static WmtsTileMatrixSet ParseTileMatrixSet(XElement set)
    {
        var identifier = Child(set, "Identifier")?.Value.Trim() ?? string.Empty;
        var supportedCrs = Child(set, "SupportedCRS")?.Value.Trim() ?? string.Empty;
        var wellKnown = Child(set, "WellKnownScaleSet")?.Value.Trim();
        var crs = WmtsCrs.Parse(supportedCrs);
        var matrices = Children(set, "TileMatrix").Select(m => ParseTileMatrix(m, crs)).ToList();
        return new WmtsTileMatrixSet(identifier, supportedCrs, string.IsNullOrEmpty(wellKnown) ? null : wellKnown, matrices);
    }

    private static WmtsTileMatrix ParseTileMatrix(XElement matrix, WmtsCrs crs)
    {
        var identifier = Child(matrix, "Identifier")?.Value.Trim() ?? string.Empty;
        var corner = ParsePair(Child(matrix, "TopLeftCorner")?.Value) ?? (0, 0);
        var (x, y) = crs.SwapAxes ? (corner.B, corner.A) : (corner.A, corner.B);
        string? repair = null;

        // GDAL auto-correction (a): a geographic corner that reads (90, -180) was written lat/lon under an x/y CRS string
        // (MapProxy's "EPSG:4326" with "90.0 -180.0", CARIS' CRS84 with "90.0 -180.0").
        if (y == -180.0 && (identifier.StartsWith("EPSG:4326:", StringComparison.OrdinalIgnoreCase) || (crs.IsGeographic && x == 90.0)))
        {
            (x, y) = (y, x);
            repair = "TopLeftCorner was written latitude first for an x/y CRS; swapped (as GDAL does)";
        }

        // GDAL auto-correction (b): tianditu writes the web-mercator corner as (+20037508, -20037508).
        if (Math.Abs(x - WebMercator.HalfCircumference) < MercatorTolerance && Math.Abs(y + WebMercator.HalfCircumference) < MercatorTolerance)
        {
            (x, y) = (y, x);
            repair = "TopLeftCorner (20037508, -20037508) is swapped web mercator; swapped back (as GDAL does)";
        }

        // Our repair, beyond GDAL: CARIS writes the bottom-left corner of web mercator as its TopLeftCorner, which would put
        // every tile south of the world; the top-left corner of web mercator is the only sensible reading.
        if (crs.Epsg == WebMercator.Epsg && Math.Abs(x + WebMercator.HalfCircumference) < MercatorTolerance && Math.Abs(y + WebMercator.HalfCircumference) < MercatorTolerance)
        {
            y = -y;
            repair = "TopLeftCorner (-20037508, -20037508) is the bottom-left corner of web mercator; used the top-left corner";
        }

        return new WmtsTileMatrix(
            Identifier: identifier,
            ScaleDenominator: ParseDouble(Child(matrix, "ScaleDenominator")),
            TopLeftX: x,
            TopLeftY: y,
            TileWidth: (int)ParseLong(Child(matrix, "TileWidth")),
            TileHeight: (int)ParseLong(Child(matrix, "TileHeight")),
            MatrixWidth: ParseLong(Child(matrix, "MatrixWidth")),
            MatrixHeight: ParseLong(Child(matrix, "MatrixHeight")),
            AxisRepair: repair);
    }

    private static (Uri? KvpHref, Uri? RestHref) ParseGetTile(XElement? operations, Uri? source)
    {
        Uri? kvp = null;
        Uri? unconstrained = null;
        Uri? rest = null;
        var getTile = Children(operations, "Operation")
            .FirstOrDefault(o => string.Equals((string?)o.Attribute("name"), "GetTile", StringComparison.OrdinalIgnoreCase));
        foreach (var get in Descendants(getTile, "Get"))
        {
            var href = get.Attributes().FirstOrDefault(a => a.Name.LocalName == "href")?.Value.Trim();
            if (string.IsNullOrEmpty(href) || Resolve(href, source) is not { } uri)
            {
                continue;
            }

            // The encoding is spelled KVP, RESTful or REST (swisstopo), or not declared at all.
            var encodings = Descendants(get, "Constraint")
                .Where(c => string.Equals((string?)c.Attribute("name"), "GetEncoding", StringComparison.OrdinalIgnoreCase))
                .SelectMany(c => Descendants(c, "Value")).Select(v => v.Value.Trim()).ToList();
            if (encodings.Count == 0)
            {
                unconstrained ??= uri;
            }

            if (encodings.Any(e => e.StartsWith("kvp", StringComparison.OrdinalIgnoreCase)))
            {
                kvp ??= uri;
            }

            if (encodings.Any(e => e.StartsWith("rest", StringComparison.OrdinalIgnoreCase)))
            {
                rest ??= uri;
            }
        }

        return (kvp ?? unconstrained, rest);
    }

    /// <summary>Resolves an href (possibly relative, e.g. QGIS' "?MAP=…") against the capabilities location.</summary>
    internal static Uri? Resolve(string href, Uri? source)
    {
        if (Uri.TryCreate(href, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            return absolute;
        }

        if (source is not null && !source.IsFile && Uri.TryCreate(source, href, out var resolved))
        {
            return resolved;
        }

        return null;
    }

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Children(XElement? parent, string localName) =>
        parent is null ? [] : parent.Elements().Where(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Descendants(XElement? parent, string localName) =>
        parent is null ? [] : parent.Descendants().Where(e => e.Name.LocalName == localName);

    private static (double A, double B)? ParsePair(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split([' ', '\t', '\r', '\n', ','], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
        {
            return null;
        }

        return (a, b);
    }

    private static double ParseDouble(XElement? element) =>
        element is not null && double.TryParse(element.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    // Integers may be written "2.0" (NASA Trek); round rather than refuse.
    private static long ParseLong(XElement? element) => (long)Math.Round(ParseDouble(element));

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
