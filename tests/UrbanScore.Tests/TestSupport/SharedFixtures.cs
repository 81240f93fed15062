namespace UrbanScore.Tests.TestSupport;

/// <summary>
/// Finds <c>../shared</c> beside the repository root (CI and developer machines have it; a user's fresh clone does not)
/// and skips a test with a clear message when it is absent.
/// </summary>
internal static class SharedFixtures
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding UrbanScore.sln).</summary>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>The shared folder, or null when absent.</summary>
    public static string? SharedRoot
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>The full path of a file or folder under ../shared; skips the test when ../shared or the path is absent.</summary>
    public static string Require(string relativePath)
    {
        var root = SharedRoot;
        if (root is null)
        {
            Assert.Skip($"../shared is absent (expected beside {RepoRoot}); this test needs {relativePath}.");
        }

        var full = Path.Combine(root, relativePath);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            Assert.Skip($"../shared/{relativePath} is absent; this test needs it.");
        }

        return full;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "UrbanScore.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("UrbanScore.sln not found above " + AppContext.BaseDirectory);
    }
}
