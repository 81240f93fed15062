using System.Net;
using System.Net.Sockets;
using System.Text;
using UrbanScore.Rendering;
using UrbanScore.Tests.Rendering;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tools.Hosting;

namespace UrbanScore.Tests.Viewer;

public sealed class RunFolderServerTests : IDisposable
{
    private readonly string _parent = ProductRun.NewFolder();
    private readonly string _out;

    public RunFolderServerTests()
    {
        _out = Path.Combine(_parent, "run");
        ProductRun.HandStore(_out, 512, 300, new[,] { { 0.5f, 0.25f }, { float.NaN, 1f } }, minZoom: 8);
        RunRenderer.Render(_out, cancellationToken: TestContext.Current.CancellationToken);
        File.WriteAllText(Path.Combine(_parent, "secret.csv"), "outside the run folder");
        File.WriteAllText(Path.Combine(_out, ".hidden.csv"), "dot file");
    }

    public void Dispose() => ProductRun.Delete(_parent);

    private Task<RunFolderServer> StartAsync() => RunFolderServer.StartAsync(_out, IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Sends a request line as written (no client-side normalisation of "..") and returns the status code.</summary>
    private static async Task<int> RawGetAsync(Uri baseUri, string target) => (await RawResponseAsync(baseUri, target, baseUri.Authority)).Status;

    /// <summary>Sends a GET with the given Host header; returns the status code and the whole response text.</summary>
    private static async Task<(int Status, string Text)> RawResponseAsync(Uri baseUri, string target, string host)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseUri.Host, baseUri.Port, TestContext.Current.CancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var text = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        return (int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), text);
    }

    [Theory]
    [InlineData("/tilejson.json")]
    [InlineData("/heatmap-wmts.xml")]
    public async Task Get_HostileHostHeader_DocumentsKeepTheServersOwnAddress(string document)
    {
        await using var server = await StartAsync();

        var (status, text) = await RawResponseAsync(server.BaseUri, document, "evil.example:1");

        Assert.Equal(200, status);
        Assert.DoesNotContain("evil.example", text, StringComparison.Ordinal);
        Assert.Contains(server.BaseUri + "heatmap/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("file://", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PublicUriGiven_DocumentsUseIt()
    {
        await using var server = await RunFolderServer.StartAsync(_out, IPAddress.Loopback, publicUri: new Uri("https://maps.example.org/run1"), cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        var tileJson = await http.GetStringAsync(new Uri("tilejson.json", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("\"https://maps.example.org/run1/heatmap/{z}/{x}/{y}.png\"", tileJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/heatmap/14/99999999/1.png", 404)]
    [InlineData("/heatmap/10/1024/300.png", 404)] // x = 2^10: one past the matrix
    [InlineData("/heatmap/11/512/300.png", 404)] // above the scored level 10
    [InlineData("/heatmap/7/64/37.png", 404)] // below the pyramid's lowest level 8
    [InlineData("/heatmap/10/1023/1023.png", 200)] // inside the matrix, no file: transparent
    [InlineData("/heatmap/8/128/75.png", 200)]
    [InlineData("/demo-world/10/512/300.jpg", 404)] // not a demo-world run
    public async Task Get_HeatmapTile_404OutsideTheMatrixOrLevels(string path, int expected)
    {
        await using var server = await StartAsync();

        Assert.Equal(expected, await RawGetAsync(server.BaseUri, path));
    }

    [Theory]
    [InlineData("/../secret.csv")]
    [InlineData("/../../../../etc/passwd")]
    [InlineData("/%2e%2e/secret.csv")]
    [InlineData("/heatmap/..%2f..%2f..%2fsecret.csv")]
    [InlineData("/viewer/%2e%2e/%2e%2e/secret.csv")]
    [InlineData("/.hidden.csv")]
    [InlineData("/scores.sqlite")]
    [InlineData("/heatmap/")]
    [InlineData("/heatmap")]
    [InlineData("/viewer/")]
    [InlineData("/viewer/images/")]
    [InlineData("//etc/passwd")]
    public async Task Get_TraversalListingOrPrivateFile_Is404(string target)
    {
        await using var server = await StartAsync();

        Assert.Equal(404, await RawGetAsync(server.BaseUri, target));
    }

    [Theory]
    [InlineData("../secret.csv")]
    [InlineData("/viewer/../../secret.csv")]
    [InlineData("/heatmap\\..\\..\\secret.csv")]
    [InlineData("/C:/secret.csv")]
    [InlineData("/index.html\0.csv")]
    public async Task Resolve_UnsafePath_IsNull(string path)
    {
        await using var server = await StartAsync();

        Assert.Null(server.Resolve(path));
    }

    [Fact]
    public async Task Get_SymlinkInsideFolderToOutside_Is404()
    {
        File.CreateSymbolicLink(Path.Combine(_out, "link.csv"), Path.Combine(_parent, "secret.csv"));
        await using var server = await StartAsync();

        Assert.Equal(404, await RawGetAsync(server.BaseUri, "/link.csv"));
    }

    [Fact]
    public async Task Get_SymlinkedFolderInsideToOutside_Is404()
    {
        var outside = Path.Combine(_parent, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.csv"), "outside");
        Directory.CreateSymbolicLink(Path.Combine(_out, "linked"), outside);
        await using var server = await StartAsync();

        Assert.Null(server.Resolve("/linked/secret.csv"));
        Assert.Equal(404, await RawGetAsync(server.BaseUri, "/linked/secret.csv"));
    }

    [Fact]
    public async Task Get_ViewerTilesAndDocuments_ServedWithAbsoluteUrls()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var ct = TestContext.Current.CancellationToken;

        var index = await http.GetAsync(new Uri("/", UriKind.Relative), ct);
        var tile = await http.GetByteArrayAsync(new Uri("heatmap/10/512/300.png", UriKind.Relative), ct);
        var missingTile = await http.GetAsync(new Uri("heatmap/10/900/900.png", UriKind.Relative), ct);
        var wmts = await http.GetStringAsync(new Uri("heatmap-wmts.xml", UriKind.Relative), ct);
        var tileJson = await http.GetStringAsync(new Uri("tilejson.json", UriKind.Relative), ct);
        var post = await http.PostAsync(new Uri("index.html", UriKind.Relative), new StringContent("x"), ct);

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        Assert.Contains("viewer/leaflet.js", await index.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_out, "heatmap", "10", "512", "300.png")), tile);
        Assert.Equal(HttpStatusCode.OK, missingTile.StatusCode);
        Assert.Equal("image/png", missingTile.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"template=\"{server.BaseUri}heatmap/{{TileMatrix}}/{{TileCol}}/{{TileRow}}.png\"", wmts, StringComparison.Ordinal);
        Assert.Contains($"\"{server.BaseUri}heatmap/{{z}}/{{x}}/{{y}}.png\"", tileJson, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Contains(server.Log, entry => entry.Path == "/heatmap/10/512/300.png" && entry.Status == 200);
    }

    [Fact]
    public async Task Get_DemoWorldRun_ServesTheDemoWorldImagery()
    {
        using (var store = UrbanScore.Storage.ScoreStore.OpenExisting(_out))
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + store.Path);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE metadata SET value = $v WHERE key = 'source'";
            command.Parameters.AddWithValue("$v", ViewerWriter.DemoWorldSource);
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        var tile = await http.GetAsync(new Uri("demo-world/10/512/300.jpg", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal("image/jpeg", tile.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            UrbanScore.Tools.DemoWorld.DemoWorldRenderer.Default.RenderJpeg(new UrbanScore.Tiling.TileIndex(Zoom: 10, Col: 512, Row: 300)),
            await tile.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(404, await RawGetAsync(server.BaseUri, "/demo-world/19/1/1.jpg"));
    }

    [Fact]
    public async Task Serve_NotAnOutputFolder_ExitTwo()
    {
        var (exit, _, stderr) = await CliRun.RunAsync("serve", _parent);

        Assert.Equal(2, exit);
        Assert.Contains("is not an UrbanScore output folder", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BadBindAddress_ExitTwo()
    {
        var (exit, _, stderr) = await CliRun.RunAsync("serve", _out, "--bind", "localhost-ish");

        Assert.Equal(2, exit);
        Assert.Contains("--bind 'localhost-ish' is not an IP address", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OutputFolder_ServesUntilCancelledAndLogsRequests()
    {
        using var stopper = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stdout = new LineSignallingWriter("Press Ctrl+C");
        using var stderr = new StringWriter();
        var run = UrbanScore.Cli.UrbanScoreCli.RunAsync(["serve", _out, "--port", "0"], new UrbanScore.Cli.CliContext(stdout, stderr, false), stopper.Token);
        await stdout.Signalled.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var viewer = stdout.ToString().Split('\n').First(l => l.StartsWith("viewer:", StringComparison.Ordinal))["viewer:".Length..].Trim();
        using var http = new HttpClient();

        var index = await http.GetStringAsync(new Uri(viewer), TestContext.Current.CancellationToken);
        var traversal = await RawGetAsync(new Uri(viewer), "/../secret.csv");
        await stopper.CancelAsync();
        var exit = await run;

        Assert.Contains("<title>UrbanScore heatmap (city)</title>", index, StringComparison.Ordinal);
        Assert.Equal(404, traversal);
        Assert.Equal(0, exit);
        Assert.Matches(@"viewer:\s+http://127\.0\.0\.1:\d+/", stdout.ToString());
        Assert.Contains("GET / 200", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("GET /secret.csv 404", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("stopped.", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, stderr.ToString());
    }

    /// <summary>A StringWriter that completes <see cref="Signalled"/> once a line containing a marker was written.</summary>
    private sealed class LineSignallingWriter(string marker) : StringWriter
    {
        private readonly TaskCompletionSource _signalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Signalled => _signalled.Task;

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }

            if (value?.Contains(marker, StringComparison.Ordinal) == true)
            {
                _signalled.TrySetResult();
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override string ToString()
        {
            lock (this)
            {
                return base.ToString();
            }
        }
    }
}
