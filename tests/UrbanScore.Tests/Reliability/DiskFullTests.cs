using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Reliability;

/// <summary>
/// Out of disk space while writing, on a real full file system: a 512 KiB tmpfs (needs root and permission to mount;
/// skipped otherwise). The run's outputs take about 1 MiB (heatmap.mbtiles alone ~560 KiB), so the disk fills. Clear message, exit 1, a consistent store, and a re-run after freeing space completes.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private static readonly TileGrid s_grid = new(zoom: 14, firstCol: 9300, firstRow: 4700, cols: 20, rows: 20);
    private readonly string _mount = Directory.CreateTempSubdirectory("urbanscore-diskfull-").FullName;
    private bool _mounted;

    private static int Run(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    [Fact]
    public async Task Score_DiskFills_ExitsOneWithOneSentenceStoreConsistentAndRerunCompletes()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || Run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", _mount) != 0)
        {
            Assert.Skip("needs root and permission to mount a tmpfs (mount -t tmpfs -o size=512k)");
        }

        _mounted = true;
        var jpeg = MisbehavingServerTests.RedJpeg();
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "image/jpeg";
            await context.Response.Body.WriteAsync(jpeg);
        });
        var output = Path.Combine(_mount, "out");
        string[] args = ["score", "--xyz", server.BaseUri + "{z}/{x}/{y}.jpg", "--zoom", "14", "--bbox", s_grid.Bbox, "--model", TileGrid.Model(), "--positive-label", "red", "--out", output];

        var (code, stdout, stderr) = await CliRun.RunAsync(args);

        Assert.True(code == 1, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains("out of disk space writing", stderr, StringComparison.Ordinal);
        Assert.Contains("free space and re-run", stderr, StringComparison.Ordinal);
        // One error line (heatmap tiles are hard links that take no space, so the disk may fill after the pipeline's
        // "finished" info line, in the store's last commit or the products).
        Assert.Single(stderr.Trim().Split('\n'), line => line.StartsWith("error:", StringComparison.Ordinal));
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(output, "scores.sqlite"), Pooling = false }.ToString()))
        {
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", check.ExecuteScalar());
        }

        Assert.Equal(0, Run("mount", "-o", "remount,size=64m", _mount));
        var (again, _, againError) = await CliRun.RunAsync(args);

        Assert.True(again == 0, againError);
        Assert.Equal(s_grid.Count, s_grid.ReadCsv(output).Count(r => r.Value.Status == "scored"));
    }

    public void Dispose()
    {
        if (_mounted)
        {
            Run("umount", "-l", _mount);
        }

        Directory.Delete(_mount, recursive: true);
    }
}
