using UrbanScore.Rendering;

namespace UrbanScore.Tests.Rendering;

public sealed class TileFileQueueTests : IDisposable
{
    private readonly string _out = ProductRun.NewFolder();

    public void Dispose() => ProductRun.Delete(_out);

    [Fact]
    public async Task Add_RepeatedKeys_FirstWrittenLaterOnesLinkedAllWithTheBytes()
    {
        using var failed = new CancellationTokenSource();
        using var files = new TileFileQueue(failed);
        byte[] png = [1, 2, 3, 4];
        var paths = Enumerable.Range(0, 3).Select(i => Path.Combine(_out, "heatmap", "9", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "7.png")).ToArray();

        foreach (var path in paths)
        {
            files.Add(path, "same", png);
        }

        files.CompleteAdding();
        await files.Completion;

        Assert.All(paths, path => Assert.Equal(png, File.ReadAllBytes(path)));
        Assert.Equal(3, files.Written + files.Linked);
        Assert.Equal(HardLink.IsSupported ? 1 : 3, files.Written);
    }

    [Fact]
    public async Task Add_AfterAWriteFailed_ThrowsThatFailureAndTheTokenIsCancelled()
    {
        using var failed = new CancellationTokenSource();
        using var files = new TileFileQueue(failed);
        Directory.CreateDirectory(_out);
        var notAFolder = Path.Combine(_out, "file");
        await File.WriteAllTextAsync(notAFolder, "a file where the tile's folder should go", TestContext.Current.CancellationToken);

        files.Add(Path.Combine(notAFolder, "3", "4.png"), null, [1]);

        await Assert.ThrowsAnyAsync<IOException>(() => files.Completion);
        Assert.True(failed.IsCancellationRequested);
        Assert.ThrowsAny<IOException>(() => files.Add(Path.Combine(_out, "5.png"), null, [1]));
    }
}
