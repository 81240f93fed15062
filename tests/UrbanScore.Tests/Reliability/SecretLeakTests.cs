using System.Text;
using Microsoft.AspNetCore.Http;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Reliability;

/// <summary>An API key in the URL and one in a header never reach any output file, stdout or stderr.</summary>
public sealed class SecretLeakTests : IDisposable
{
    private const string UrlKey = "URLKEY-7f3a9c1e55";
    private const string HeaderKey = "HDRKEY-0b8d2e4f99";
    private static readonly TileGrid s_grid = new(zoom: 14, firstCol: 9300, firstRow: 4700, cols: 4, rows: 2);
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-secrets-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Score_KeyInUrlAndHeader_NeverAppearsInOutputsOrLogs()
    {
        var jpeg = MisbehavingServerTests.RedJpeg();
        var headerSeen = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (context.Request.Headers["X-Api-Key"] == HeaderKey)
            {
                Interlocked.Increment(ref headerSeen);
            }

            var url = context.Request.Path + context.Request.QueryString;
            switch (s_grid.IndexOf(context.Request.Path.Value!))
            {
                case 1:
                    // Servers echo the request (with its key) in their error messages.
                    await context.Response.WriteAsync($"<ExceptionReport><Exception><ExceptionText>bad request {url} key {HeaderKey}</ExceptionText></Exception></ExceptionReport>");
                    return;
                case 2:
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync($"internal error for {url} with X-Api-Key {HeaderKey}");
                    return;
                case 3:
                    context.Response.StatusCode = 302;
                    context.Response.Headers.Location = $"http://elsewhere.invalid/t.jpg?apikey={UrlKey}";
                    return;
                default:
                    context.Response.ContentType = "image/jpeg";
                    await context.Response.Body.WriteAsync(jpeg);
                    return;
            }
        });

        var (code, stdout, stderr) = await CliRun.RunAsync(
            "score", "--xyz", server.BaseUri + "{z}/{x}/{y}.jpg?apikey=" + UrlKey, "--header", "X-Api-Key: " + HeaderKey,
            "--zoom", "14", "--bbox", s_grid.Bbox, "--model", TileGrid.Model(), "--positive-label", "red", "--out", _out, "--retries", "0");

        Assert.True(code == 3, $"exit {code}: {stderr}\n{stdout}");
        Assert.True(headerSeen > 0, "the header was never sent");
        var texts = new Dictionary<string, string> { ["stdout"] = stdout, ["stderr"] = stderr };
        foreach (var file in Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories))
        {
            texts[file] = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
        }

        Assert.Contains(Path.Combine(_out, "run.json"), texts.Keys);
        Assert.Contains(Path.Combine(_out, "scores.sqlite"), texts.Keys);
        foreach (var (name, text) in texts)
        {
            Assert.False(text.Contains(UrlKey, StringComparison.Ordinal), $"{name} holds the URL key");
            Assert.False(text.Contains(HeaderKey, StringComparison.Ordinal), $"{name} holds the header key");
        }

        // The failures are still explained, with the secrets masked.
        Assert.Contains("bad request", texts[Path.Combine(_out, "scores.csv")], StringComparison.Ordinal);
        Assert.Contains("apikey=***", texts[Path.Combine(_out, "run.json")], StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
