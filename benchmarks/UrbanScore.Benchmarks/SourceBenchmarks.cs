using BenchmarkDotNet.Attributes;
using UrbanScore.Sources;
using UrbanScore.Tiling;
using UrbanScore.Wmts;

namespace UrbanScore.Benchmarks;

/// <summary>
/// A tile's GetTile URL, built once per tile before its request: an XYZ template, a WMTS RESTful template and a WMTS
/// KVP request (capabilities from ../shared/fixtures/wmts: MapProxy RESTful, QGIS Server KVP).
/// </summary>
[Config(typeof(Config))]
public class SourceBenchmarks
{
    private HttpTileFetcher _fetcher = null!;
    private XyzTileSource _xyz = null!;
    private WmtsTileSource _rest = null!;
    private WmtsTileSource _kvp = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fetcher = new HttpTileFetcher(new HttpFetchOptions());
        _xyz = new XyzTileSource("https://tiles.example.com/{z}/{x}/{y}.jpg?apikey=0123456789abcdef", _fetcher);
        var folder = Path.Combine(BenchData.RepositoryRoot(), "..", "shared", "fixtures", "wmts");
        using var restFile = File.OpenRead(Path.Combine(folder, "mapproxy-1.15-local-restful.xml"));
        var rest = WmtsCapabilitiesParser.Parse(restFile, new Uri("http://127.0.0.1:8089/wmts/1.0.0/WMTSCapabilities.xml?apikey=SECRET123"));
        _rest = new WmtsTileSource(WmtsSelection.Select(rest, new WmtsSelectionOptions { Layer = "sat", TileMatrixSet = "webmercator", Zoom = 5 }), _fetcher);
        using var kvpFile = File.OpenRead(Path.Combine(folder, "qgis-server-3.x-3857-4326-limits.xml"));
        var kvp = WmtsCapabilitiesParser.Parse(kvpFile, new Uri("https://maps.example.org/ows?SERVICE=WMTS&REQUEST=GetCapabilities"));
        _kvp = new WmtsTileSource(WmtsSelection.Select(kvp, new WmtsSelectionOptions { Layer = kvp.Layers[0].Identifier, TileMatrixSet = "EPSG:3857" }), _fetcher);
    }

    [GlobalCleanup]
    public void Cleanup() => _fetcher.Dispose();

    [Benchmark(Description = "tile URL: XYZ template")]
    public Uri Xyz() => _xyz.TileUri(Next(16));

    [Benchmark(Description = "tile URL: WMTS RESTful template")]
    public Uri WmtsRest() => _rest.TileUri(Next(5));

    [Benchmark(Description = "tile URL: WMTS KVP")]
    public Uri WmtsKvp() => _kvp.TileUri(Next(_kvp.Selection.Level ?? 0));

    private TileIndex Next(int zoom)
    {
        var i = _next++;
        var size = 1 << Math.Min(zoom, 10);
        return new TileIndex(Zoom: zoom, Col: i % size, Row: (i / size) % size);
    }
}
