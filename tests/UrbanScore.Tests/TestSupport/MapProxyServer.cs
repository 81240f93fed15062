using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace UrbanScore.Tests.TestSupport;

/// <summary>
/// A real MapProxy 1.15 WMTS (Debian package <c>mapproxy</c>) on 127.0.0.1 and an ephemeral port, serving the pre-seeded
/// cache of ../shared/mapproxy (make_tiles.py: tile colour R = 40·z, G = 37·x mod 256, B = 53·y mod 256). Use as an xunit
/// class fixture and call <see cref="Start"/> in each test: it skips the test when MapProxy or ../shared is absent, and
/// starts the server once. Disposing kills the server's whole process group (serve-develop runs a reloader and a worker)
/// and deletes the temporary directory.
/// </summary>
public sealed class MapProxyServer : IDisposable
{
    private static readonly TimeSpan s_startupDeadline = TimeSpan.FromSeconds(60);
    private readonly Lock _lock = new();
    private Process? _process;
    private string? _directory;
    private Uri? _baseUri;
    private string? _startupFailure;

    /// <summary>KVP capabilities URL (OperationsMetadata, no ResourceURL).</summary>
    public Uri KvpCapabilities => new(Start(), "service?SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0");

    /// <summary>RESTful capabilities URL (ResourceURL, no OperationsMetadata).</summary>
    public Uri RestCapabilities => new(Start(), "wmts/1.0.0/WMTSCapabilities.xml");

    /// <summary>The seeded file cache (cache_data/), for tests that replace tiles; starts the server.</summary>
    public string CacheDirectory
    {
        get
        {
            Start();
            return Path.Combine(_directory!, "cache_data");
        }
    }

    /// <summary>The colour make_tiles.py gave a tile: (R, G, B).</summary>
    public static (int R, int G, int B) TileColour(int z, int x, int y) => (Math.Min(255, 40 * z), (x * 37) % 256, (y * 53) % 256);

    /// <summary>Starts the server if needed and returns its base URL (http://127.0.0.1:port/); skips when MapProxy is missing.</summary>
    public Uri Start()
    {
        var mapproxy = ExternalTool.Require("mapproxy-util", "mapproxy");
        var config = SharedFixtures.Require("mapproxy/mapproxy.yaml");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalTool.Require("python3", "python3-pil");
        lock (_lock)
        {
            if (_baseUri is not null)
            {
                return _baseUri;
            }

            if (_startupFailure is not null)
            {
                Assert.Fail(_startupFailure);
            }

            try
            {
                _directory = Directory.CreateTempSubdirectory("urbanscore-mapproxy-").FullName;
                File.Copy(config, Path.Combine(_directory, "mapproxy.yaml"));
                File.Copy(Path.Combine(Path.GetDirectoryName(config)!, "make_tiles.py"), Path.Combine(_directory, "make_tiles.py"));
                var (code, _, error) = ExternalTool.Run(python, ["make_tiles.py"], TimeSpan.FromMinutes(1), _directory);
                if (code != 0)
                {
                    Assert.Skip($"make_tiles.py failed (needs Debian's python3-pil, installed with mapproxy): {error}");
                }

                var port = FreePort();
                var info = new ProcessStartInfo("/usr/bin/setsid")
                {
                    WorkingDirectory = _directory,
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                foreach (var argument in new[] { mapproxy, "serve-develop", "-b", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"), "mapproxy.yaml" })
                {
                    info.ArgumentList.Add(argument);
                }

                _process = Process.Start(info) ?? throw new InvalidOperationException("could not start mapproxy-util");
                _process.OutputDataReceived += (_, _) => { };
                _process.ErrorDataReceived += (_, _) => { };
                _process.BeginOutputReadLine();
                _process.BeginErrorReadLine();
                var baseUri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
                WaitUntilAnswering(baseUri);
                _baseUri = baseUri;
                return baseUri;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.SkipException)
            {
                _startupFailure = "MapProxy did not start: " + ex.Message;
                throw;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_process is { } process)
        {
            try
            {
                // setsid made the server its own process group leader: signal the group (reloader + worker), then the tree.
                using var kill = Process.Start("/bin/kill", ["-TERM", "--", "-" + process.Id.ToString(CultureInfo.InvariantCulture)]);
                kill?.WaitForExit(5000);
                if (!process.WaitForExit(5000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            process.Dispose();
        }

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is harmless.
            }
        }
    }

    private void WaitUntilAnswering(Uri baseUri)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"mapproxy-util exited with code {_process.ExitCode}"));
            }

            try
            {
                using var response = client.GetAsync(new Uri(baseUri, "wmts/1.0.0/WMTSCapabilities.xml")).GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            if (deadline.Elapsed > s_startupDeadline)
            {
                throw new TimeoutException("MapProxy did not answer within " + s_startupDeadline.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
            }

            // Polling a starting server: the only way to know it listens. Not a timing assumption of the test.
            Thread.Sleep(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
