using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Viewer;

/// <summary>
/// A loopback WMTS whose RESTful template has every kind of placeholder ({Style}, {TileMatrixSet}, a {Time}
/// dimension, {TileMatrix}, {TileRow}, {TileCol}) and which also answers KVP GetTile. It serves a tile only when every
/// value is the right one (anything else is 404/400), so a viewer that leaves a placeholder unfilled gets no imagery.
/// Tiles are a checkerboard: red 240 or 15 (the fake scorer's P = 0.94 or 0.06) over green 90, blue 200.
/// </summary>
internal static class ImageryWmtsServer
{
    public const string Layer = "ortho";
    public const string Style = "natural";
    public const string Set = "GoogleMapsCompatible";
    public const string Time = "2020";

    /// <summary>Red of the imagery tile: the fake scorer's P(city) is red / 255.</summary>
    public static byte RedOf(int col, int row) => (col + row) % 2 == 0 ? (byte)240 : (byte)15;

    public static Task<LoopbackServer> StartAsync()
    {
        LoopbackServer? self = null;
        var started = LoopbackServer.StartAsync(async context =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            var parts = path.Trim('/').Split('/');
            if (path == "/capabilities.xml")
            {
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync(Capabilities(self!.BaseUri));
                return;
            }

            if (parts is ["rest", Layer, Style, Set, Time, var z, var row, var colPng] && colPng.EndsWith(".png", StringComparison.Ordinal))
            {
                await TileAsync(context, z, row, colPng[..^4]);
                return;
            }

            var q = context.Request.Query;
            if (path == "/kvp" && q["SERVICE"] == "WMTS" && q["REQUEST"] == "GetTile" && q["LAYER"] == Layer && q["STYLE"] == Style
                && q["TILEMATRIXSET"] == Set && q["FORMAT"] == "image/png" && q["Time"] == Time)
            {
                await TileAsync(context, q["TILEMATRIX"]!, q["TILEROW"]!, q["TILECOL"]!);
                return;
            }

            context.Response.StatusCode = 404;
        });
        return started.ContinueWith(t => self = t.Result, TaskScheduler.Default);
    }

    private static async Task TileAsync(HttpContext context, string z, string row, string col)
    {
        if (!int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out var zoom) || zoom > 14
            || !int.TryParse(row, NumberStyles.None, CultureInfo.InvariantCulture, out var r)
            || !int.TryParse(col, NumberStyles.None, CultureInfo.InvariantCulture, out var c))
        {
            context.Response.StatusCode = 400;
            return;
        }

        context.Response.ContentType = "image/png";
        await context.Response.Body.WriteAsync(TestImages.Flat(RedOf(c, r), 90, 200));
    }

    /// <summary>WMTS 1.0.0 capabilities: one layer, GoogleMapsCompatible 0..14, REST template and KVP GetTile.</summary>
    public static string Capabilities(Uri baseUri)
    {
        var matrices = new StringBuilder();
        var set = TileMatrixSet.WebMercatorQuad();
        for (var z = 0; z <= 14; z++)
        {
            var m = set[z];
            matrices.Append(CultureInfo.InvariantCulture, $$"""
                <TileMatrix><ows:Identifier>{{z}}</ows:Identifier><ScaleDenominator>{{m.ScaleDenominator.ToString("R", CultureInfo.InvariantCulture)}}</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>{{1 << z}}</MatrixWidth><MatrixHeight>{{1 << z}}</MatrixHeight></TileMatrix>
                """);
        }

        return $$"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
              <ows:OperationsMetadata>
                <ows:Operation name="GetTile"><ows:DCP><ows:HTTP><ows:Get xlink:href="{{baseUri}}kvp?"><ows:Constraint name="GetEncoding"><ows:AllowedValues><ows:Value>KVP</ows:Value></ows:AllowedValues></ows:Constraint></ows:Get></ows:HTTP></ows:DCP></ows:Operation>
              </ows:OperationsMetadata>
              <Contents>
                <Layer>
                  <ows:Title>Ortho</ows:Title>
                  <ows:WGS84BoundingBox><ows:LowerCorner>-180 -85</ows:LowerCorner><ows:UpperCorner>180 85</ows:UpperCorner></ows:WGS84BoundingBox>
                  <ows:Identifier>{{Layer}}</ows:Identifier>
                  <Style isDefault="true"><ows:Identifier>{{Style}}</ows:Identifier></Style>
                  <Format>image/png</Format>
                  <Dimension><ows:Identifier>Time</ows:Identifier><Default>{{Time}}</Default><Value>2019</Value><Value>{{Time}}</Value></Dimension>
                  <TileMatrixSetLink><TileMatrixSet>{{Set}}</TileMatrixSet></TileMatrixSetLink>
                  <ResourceURL format="image/png" resourceType="tile" template="{{baseUri}}rest/{{Layer}}/{Style}/{TileMatrixSet}/{Time}/{TileMatrix}/{TileRow}/{TileCol}.png"/>
                </Layer>
                <TileMatrixSet>
                  <ows:Identifier>{{Set}}</ows:Identifier>
                  <ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>
                  {{matrices}}
                </TileMatrixSet>
              </Contents>
            </Capabilities>
            """;
    }
}
