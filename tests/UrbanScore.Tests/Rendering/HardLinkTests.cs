using UrbanScore.Rendering;

namespace UrbanScore.Tests.Rendering;

public sealed class HardLinkTests : IDisposable
{
    private readonly string _out = ProductRun.NewFolder();

    public HardLinkTests() => Directory.CreateDirectory(_out);

    public void Dispose() => ProductRun.Delete(_out);

    private string Folder(string name)
    {
        var path = Path.Combine(_out, name);
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public void TryCreateAt_BetweenOpenFolders_NewNameIsTheSameFile()
    {
        Assert.SkipUnless(HardLink.HasFolderHandles, "links between open folders are Linux only");
        var from = Folder("a");
        var to = Folder("b");
        File.WriteAllBytes(Path.Combine(from, "1.png"), [1, 2, 3]);
        using var fromHandle = HardLink.OpenFolder(from);
        using var toHandle = HardLink.OpenFolder(to);

        var error = HardLink.TryCreateAt(fromHandle!, "1.png\0"u8, toHandle!, "7.png\0"u8);

        Assert.Equal(0, error);
        // Written in place through the first name, the bytes change under the second: one file, two names.
        using (var stream = new FileStream(Path.Combine(from, "1.png"), FileMode.Open, FileAccess.Write))
        {
            stream.Write([9, 9, 9]);
        }

        Assert.Equal([9, 9, 9], File.ReadAllBytes(Path.Combine(to, "7.png")));
    }

    [Fact]
    public void TryCreateAt_NameExists_AnswersEexistAndLeavesIt()
    {
        Assert.SkipUnless(HardLink.HasFolderHandles, "links between open folders are Linux only");
        var folder = Folder("a");
        File.WriteAllBytes(Path.Combine(folder, "1.png"), [1]);
        File.WriteAllBytes(Path.Combine(folder, "2.png"), [2]);
        using var handle = HardLink.OpenFolder(folder);

        Assert.Equal(HardLink.AlreadyExists, HardLink.TryCreateAt(handle!, "1.png\0"u8, handle!, "2.png\0"u8));
        Assert.Equal([2], File.ReadAllBytes(Path.Combine(folder, "2.png")));
    }

    [Fact]
    public void TryCreateAt_SourceMissing_AnswersEnoent()
    {
        Assert.SkipUnless(HardLink.HasFolderHandles, "links between open folders are Linux only");
        using var handle = HardLink.OpenFolder(Folder("a"));

        Assert.Equal(HardLink.NoSuchFile, HardLink.TryCreateAt(handle!, "1.png\0"u8, handle!, "2.png\0"u8));
    }

    [Fact]
    public void TryCreateAt_NameWithoutNul_Throws()
    {
        Assert.SkipUnless(HardLink.HasFolderHandles, "links between open folders are Linux only");
        using var handle = HardLink.OpenFolder(Folder("a"));

        Assert.Throws<ArgumentException>(() => HardLink.TryCreateAt(handle!, "1.png"u8, handle!, "2.png\0"u8));
    }

    [Fact]
    public void OpenFolder_MissingFolder_ReturnsNull()
    {
        Assert.SkipUnless(HardLink.HasFolderHandles, "links between open folders are Linux only");

        Assert.Null(HardLink.OpenFolder(Path.Combine(_out, "missing")));
    }
}
