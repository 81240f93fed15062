using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using UrbanScore.Tests.Reliability;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Cli;

/// <summary>
/// A new user's first evening, through the real CLI against loopback servers: the preflight reports a dead, keyed or
/// wrong source in seconds, outages are reported and bounded, typos are answered, and a key anywhere in a URL stays
/// out of every output.
/// </summary>
public sealed class FirstRunTests : IDisposable
{
    private static readonly TileGrid s_grid = new(zoom: 14, firstCol: 9300, firstRow: 4700, cols: 3, rows: 2);
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-firstrun-" + Guid.NewGuid().ToString("N"));

    private string[] Score(string template, params string[] extra) =>
        ["score", "--xyz", template, "--zoom", "14", "--bbox", s_grid.Bbox, "--model", TileGrid.Model(), "--positive-label", "red", "--out", _out, .. extra];

    [Fact]
    public async Task Score_NothingListening_Exit2NamingHostPortWithin20Seconds()
    {
        var port = FreePort();
        var watch = Stopwatch.StartNew();

        var (code, stdout, stderr) = await CliRun.RunAsync(Score($"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.jpg"));

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Contains($"127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        Assert.Contains("connection refused", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Score_HostDoesNotResolve_Exit2NamingHostAndDns()
    {
        var watch = Stopwatch.StartNew();

        var (code, stdout, stderr) = await CliRun.RunAsync(Score("http://no-such-host.invalid:8123/{z}/{x}/{y}.jpg"));

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Contains("no-such-host.invalid:8123", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_TlsHandshakeFails_Exit2NamingHostPortAndTls()
    {
        // https:// to a plain-HTTP server: the handshake gets an HTTP answer instead of a ServerHello.
        await using var plain = await LoopbackServer.StartAsync(context => Task.CompletedTask);
        var port = plain.BaseUri.Port;
        var watch = Stopwatch.StartNew();

        var (code, stdout, stderr) = await CliRun.RunAsync(Score($"https://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.jpg"));

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Contains($"127.0.0.1:{port} (TLS handshake failed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_ServerNeverAnswers_Exit2Within20Seconds()
    {
        await using var silent = RawHttpServer.Start((_, _) => Task.Delay(TimeSpan.FromSeconds(30)), lifetime: TimeSpan.FromSeconds(40));
        var port = silent.Port;
        var watch = Stopwatch.StartNew();

        var (code, stdout, stderr) = await CliRun.RunAsync(Score($"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.jpg"));

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Contains($"127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        Assert.Contains("no answer", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Score_KeyRefused_Exit2NamingStatusPointingAtHeaderKeyRedacted(int status)
    {
        const string Key = "KEYREFUSED-5c1d77aa";
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"invalid key {Key}");
        });

        var (code, stdout, stderr) = await CliRun.RunAsync(Score(server.BaseUri + "{z}/{x}/{y}.jpg?apikey=" + Key));

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains("HTTP " + status.ToString(CultureInfo.InvariantCulture), stderr, StringComparison.Ordinal);
        Assert.Contains("--header", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, stdout + stderr, StringComparison.Ordinal);
        Assert.True(server.Log.Count <= 1, $"{server.Log.Count} requests for a refused key");
    }

    [Theory]
    [InlineData("text/html", "<!DOCTYPE html>\n<html><head><title>Sign in to Tiles</title></head><body>login</body></html>", "Sign in to Tiles")]
    [InlineData("application/json", "{\"error\":\"Unknown layer rgbx\"}", "Unknown layer rgbx")]
    [InlineData("application/vnd.ogc.se_xml", "<?xml version=\"1.0\"?><ows:ExceptionReport xmlns:ows=\"http://www.opengis.net/ows/1.1\"><ows:Exception exceptionCode=\"InvalidParameterValue\"><ows:ExceptionText>Style foo is not known</ows:ExceptionText></ows:Exception></ows:ExceptionReport>", "Style foo is not known")]
    public async Task Score_ServerSendsNoImage_Exit2QuotingIt(string contentType, string body, string quoted)
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

        var (code, stdout, stderr) = await CliRun.RunAsync(Score(server.BaseUri + "{z}/{x}/{y}.jpg"));

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains(quoted, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_out, "scores.sqlite")), "the run started");
    }

    [Fact]
    public async Task Score_EverySampledTile404_WarnsNamingPatternAndRuns()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });

        var (code, stdout, stderr) = await CliRun.RunAsync(Score(server.BaseUri + "tiles/{z}/{x}/{y}.png"));

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains("warning: every sampled tile", stderr, StringComparison.Ordinal);
        Assert.Contains("tiles/{z}/{x}/{y}.png", stderr, StringComparison.Ordinal);
        // The tiles the preflight asked for are not asked for again.
        Assert.Equal(s_grid.Count, server.Log.Count);
    }

    [Fact]
    public async Task Score_WorkingServer_PreflightAddsNoRequest()
    {
        var jpeg = MisbehavingServerTests.RedJpeg();
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "image/jpeg";
            await context.Response.Body.WriteAsync(jpeg);
        });

        var (code, stdout, stderr) = await CliRun.RunAsync(Score(server.BaseUri + "{z}/{x}/{y}.jpg"));

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains("preflight: 127.0.0.1", stdout, StringComparison.Ordinal);
        Assert.Equal(s_grid.Count, server.Log.Count);
        Assert.Equal(s_grid.Count, server.Log.Select(l => l.PathAndQuery).Distinct().Count());
    }

    [Fact]
    public async Task Score_NoPreflight_DeadServerIsFailedTilesNotBadInput()
    {
        var port = FreePort();

        var (code, stdout, stderr) = await CliRun.RunAsync(Score($"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.jpg", "--no-preflight", "--retries", "0"));

        Assert.True(code == 3, $"exit {code}: {stderr}\n{stdout}");
        Assert.DoesNotContain("Cannot reach", stderr, StringComparison.Ordinal);
        Assert.Contains("connection", File.ReadAllText(Path.Combine(_out, "scores.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_OutageLongerThanMaxOutage_ReportsItAndStopsWithExit3Resumably()
    {
        var jpeg = MisbehavingServerTests.RedJpeg();
        var down = true;
        var served = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            // The first tile works (the preflight's), then the server goes down with 503s until the test brings it back.
            if (Volatile.Read(ref down) && Interlocked.Increment(ref served) > 1)
            {
                context.Response.StatusCode = 503;
                return;
            }

            context.Response.ContentType = "image/jpeg";
            await context.Response.Body.WriteAsync(jpeg);
        });
        var watch = Stopwatch.StartNew();

        var (code, stdout, stderr) = await CliRun.RunAsync(Score(server.BaseUri + "{z}/{x}/{y}.jpg", "--max-outage", "3s", "--retries", "50"));

        Assert.True(code == 3, $"exit {code}: {stderr}\n{stdout}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.Contains("outage: no request has succeeded since", stderr, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", stderr, StringComparison.Ordinal);
        Assert.Contains("--max-outage", stderr, StringComparison.Ordinal);
        Assert.Contains("run the same command again", stderr, StringComparison.Ordinal);

        // Resumable: with the server back, the same command finishes the area.
        Volatile.Write(ref down, false);
        var (again, stdout2, stderr2) = await CliRun.RunAsync(Score(server.BaseUri + "{z}/{x}/{y}.jpg", "--max-outage", "3s"));
        Assert.True(again == 0, $"exit {again}: {stderr2}\n{stdout2}");
        Assert.Equal(s_grid.Count, s_grid.ReadCsv(_out).Values.Count(r => r.Status == "scored"));
    }

    [Fact]
    public async Task Score_KeyInUrlPathFromEnvironment_NeverAppearsAnywhere()
    {
        const string Key = "TMKEY-9e2b41d07c6f";
        var variable = "URBANSCORE_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, Key);
        try
        {
            var jpeg = MisbehavingServerTests.RedJpeg();
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                var path = context.Request.Path.Value!;
                if (!path.StartsWith("/" + Key + "/rgb/", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = 401;
                    return;
                }

                switch (s_grid.IndexOf(path))
                {
                    case 2:
                        // Servers echo the request, key and all, in their errors.
                        context.Response.ContentType = "text/plain";
                        await context.Response.WriteAsync($"cannot render {path}");
                        return;
                    case 4:
                        context.Response.StatusCode = 400;
                        await context.Response.WriteAsync($"bad tile {path}");
                        return;
                    default:
                        context.Response.ContentType = "image/jpeg";
                        await context.Response.Body.WriteAsync(jpeg);
                        return;
                }
            });

            var template = server.BaseUri + "{env:" + variable + "}/rgb/{z}/{x}/{y}.png";
            var (code, stdout, stderr) = await CliRun.RunAsync(Score(template, "--retries", "0"));

            Assert.True(code == 3, $"exit {code}: {stderr}\n{stdout}");
            await AssertNowhereAsync(Key, stdout, stderr);
            Assert.Contains("{env:" + variable + "}", File.ReadAllText(Path.Combine(_out, "run.json")), StringComparison.Ordinal);
            Assert.Contains("cannot render", File.ReadAllText(Path.Combine(_out, "scores.csv")), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Score_LiteralKeyInUrlPathWithSecret_NeverAppearsAnywhere()
    {
        const string Key = "LITKEY-31f0a8c2d9";
        var jpeg = MisbehavingServerTests.RedJpeg();
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (s_grid.IndexOf(context.Request.Path.Value!) == 1)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync($"bad tile {context.Request.Path}");
                return;
            }

            context.Response.ContentType = "image/jpeg";
            await context.Response.Body.WriteAsync(jpeg);
        });

        var (code, stdout, stderr) = await CliRun.RunAsync(Score(server.BaseUri + Key + "/rgb/{z}/{x}/{y}.png", "--secret", Key, "--retries", "0"));

        Assert.True(code == 3, $"exit {code}: {stderr}\n{stdout}");
        await AssertNowhereAsync(Key, stdout, stderr);
    }

    [Fact]
    public async Task Score_KeyLikePathSegmentWithoutSecret_WarnsWithoutPrintingIt()
    {
        const string Key = "a1b2c3d4e5f6a7b8c9d0e1f2";
        var jpeg = MisbehavingServerTests.RedJpeg();
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "image/jpeg";
            await context.Response.Body.WriteAsync(jpeg);
        });

        var (code, _, stderr) = await CliRun.RunAsync(Score(server.BaseUri + Key + "/rgb/{z}/{x}/{y}.png"));
        var (secretCode, _, quiet) = await CliRun.RunAsync(Score(server.BaseUri + Key + "/rgb/{z}/{x}/{y}.png", "--secret", Key, "--force")); // the masked source is another identity

        Assert.True(code == 0, stderr);
        Assert.Contains("looks like an API key", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, stderr, StringComparison.Ordinal);
        Assert.True(secretCode == 0, quiet);
        Assert.DoesNotContain("looks like an API key", quiet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_EnvironmentVariableMissing_Exit2NamingIt()
    {
        var (code, _, stderr) = await CliRun.RunAsync(Score("http://127.0.0.1:9/{env:URBANSCORE_TEST_NOT_SET_EVER}/{z}/{x}/{y}.png"));

        Assert.Equal(2, code);
        Assert.Contains("URBANSCORE_TEST_NOT_SET_EVER", stderr, StringComparison.Ordinal);
        Assert.Contains("export", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_CapabilitiesHostRefuses_Exit2NamingHostPort()
    {
        var port = FreePort();

        var (code, stdout, stderr) = await CliRun.RunAsync(
            "score", "--wmts", $"http://127.0.0.1:{port}/wmts/1.0.0/WMTSCapabilities.xml", "--zoom", "14", "--bbox", s_grid.Bbox,
            "--model", TileGrid.Model(), "--out", _out);

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains($"Cannot reach 127.0.0.1:{port} (connection refused", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_CapabilitiesRefuseTheKey_Exit2PointingAtHeader()
    {
        const string Key = "CAPSKEY-77ab01c3e4";
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 403;
            return Task.CompletedTask;
        });

        var (code, stdout, stderr) = await CliRun.RunAsync(
            "score", "--wmts", server.BaseUri + "caps.xml?token=" + Key, "--zoom", "14", "--bbox", s_grid.Bbox,
            "--model", TileGrid.Model(), "--out", _out);

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains("HTTP 403", stderr, StringComparison.Ordinal);
        Assert.Contains("--header", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_WmtsKeyInPathFromEnvironmentEchoedInResourceUrls_NeverAppearsAnywhere()
    {
        const string Key = "WMTSKEY-4d5e6f708192";
        var variable = "URBANSCORE_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, Key);
        try
        {
            var ct = TestContext.Current.CancellationToken;
            await using var world = await UrbanScore.Tools.DemoWorld.DemoWorldServer.StartAsync(cancellationToken: ct);
            using var upstream = new HttpClient();
            Uri? self = null;
            // A keyed service in front of the demo world: the key is a path segment, and the capabilities document
            // repeats it in every URL (as real services do).
            await using var proxy = await LoopbackServer.StartAsync(async context =>
            {
                var path = context.Request.Path.Value!;
                if (!path.StartsWith("/" + Key + "/", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = 401;
                    return;
                }

                var rest = path[(Key.Length + 2)..] + context.Request.QueryString;
                var bytes = await upstream.GetByteArrayAsync(new Uri(world.BaseUri, rest), context.RequestAborted);
                if (rest.EndsWith(".xml", StringComparison.Ordinal))
                {
                    var text = Encoding.UTF8.GetString(bytes).Replace(world.BaseUri.AbsoluteUri, self!.AbsoluteUri + Key + "/", StringComparison.Ordinal);
                    context.Response.ContentType = "application/xml";
                    await context.Response.WriteAsync(text);
                    return;
                }

                context.Response.ContentType = "image/jpeg";
                await context.Response.Body.WriteAsync(bytes);
            });
            self = proxy.BaseUri;

            var (code, stdout, stderr) = await CliRun.RunAsync(
                "score", "--wmts", proxy.BaseUri + "{env:" + variable + "}/wmts/1.0.0/WMTSCapabilities.xml", "--zoom", "14", "--bbox", s_grid.Bbox,
                "--model", TileGrid.Model(), "--positive-label", "red", "--out", _out);

            Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
            Assert.Contains(proxy.Log, l => l.PathAndQuery.Contains(Key, StringComparison.Ordinal) && l.PathAndQuery.EndsWith(".jpg", StringComparison.Ordinal));
            await AssertNowhereAsync(Key, stdout, stderr);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("scroe", "unknown command 'scroe'; did you mean 'score'?")]
    [InlineData("pln", "unknown command 'pln'; did you mean 'plan'?")]
    public async Task Cli_UnknownCommand_SuggestsTheNearestAndListsCommands(string typed, string expected)
    {
        var (code, _, stderr) = await CliRun.RunAsync(typed, "--zoom", "3");

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains("score, ", stderr, StringComparison.Ordinal);
        Assert.Contains("countries", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_UnknownOption_SuggestsTheNearest()
    {
        var (code, _, stderr) = await CliRun.RunAsync("plan", "--bbox", "24.9,60.1,25.0,60.2", "--zom", "12");

        Assert.Equal(2, code);
        Assert.Contains("unknown option '--zom'; did you mean '--zoom'?", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_TileMatrixWithoutZoom_ChoosesItAndSaysItsResolution()
    {
        await using var server = await UrbanScore.Tools.DemoWorld.DemoWorldServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await CliRun.RunAsync(
            "score", "--wmts", server.CapabilitiesUri.ToString(), "--tile-matrix", "14", "--bbox", s_grid.Bbox,
            "--model", TileGrid.Model(), "--positive-label", "red", "--out", _out);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains("matrix '14'", stdout, StringComparison.Ordinal);
        Assert.Contains("9.55 m/px", stdout, StringComparison.Ordinal);
        Assert.Equal(s_grid.Count, s_grid.ReadCsv(_out).Count);
    }

    private async Task AssertNowhereAsync(string key, string stdout, string stderr)
    {
        var texts = new Dictionary<string, string> { ["stdout"] = stdout, ["stderr"] = stderr };
        foreach (var file in Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories))
        {
            // Latin-1 keeps every byte, so a key inside a binary (sqlite, mbtiles, GeoTIFF tags) is found too.
            texts[file] = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
        }

        Assert.Contains(Path.Combine(_out, "run.json"), texts.Keys);
        Assert.Contains(Path.Combine(_out, "heatmap.tif"), texts.Keys);
        foreach (var (name, text) in texts)
        {
            Assert.False(text.Contains(key, StringComparison.Ordinal), $"{name} holds the key");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
