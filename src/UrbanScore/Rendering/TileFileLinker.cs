namespace UrbanScore.Rendering;

/// <summary>
/// Writes tile files whose content repeats. The first file of a content key is written (atomically: temporary name,
/// then rename); later files with the same key become hard links to it where the file system allows
/// (<see cref="HardLink"/>), which costs no inode and no data blocks. A file that already exists is replaced by linking
/// under a temporary name and renaming, so a reader never sees it missing. Nothing rewrites a tile in place, so linked
/// tiles never change together. One thread at a time.
/// </summary>
internal sealed class TileFileLinker
{
    /// <summary>Sources remembered at once; past this the memory is cleared (flat in the number of tiles).</summary>
    private const int MaxSources = 4096;

    private readonly Dictionary<string, string> _sourceByKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _createdFolders = new(StringComparer.Ordinal);
    private bool _linking = HardLink.IsSupported;

    /// <summary>Files written with their bytes.</summary>
    public long Written { get; private set; }

    /// <summary>Files made hard links.</summary>
    public long Linked { get; private set; }

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="path"/>, or links it to an earlier file of <paramref name="key"/>.</summary>
    /// <param name="path">The tile's file.</param>
    /// <param name="key">What identifies the content (equal keys, equal bytes), or null for content not worth linking.</param>
    /// <param name="bytes">The content.</param>
    public void Write(string path, string? key, byte[] bytes)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (_createdFolders.Add(folder))
        {
            Directory.CreateDirectory(folder);
        }

        if (key is not null && _linking && _sourceByKey.TryGetValue(key, out var source))
        {
            var error = HardLink.TryCreateOver(source, path);
            if (error == 0)
            {
                Linked++;
                return;
            }

            // The source is gone or has too many links (EMLINK): this file becomes the new source. A file system
            // without hard links answers the same for every tile: stop trying.
            _sourceByKey.Remove(key);
            if (error is not (HardLink.NoSuchFile or HardLink.TooManyLinks))
            {
                _linking = false;
            }
        }

        AtomicFile.WriteAllBytesSingleWriter(path, bytes);
        Written++;
        if (key is not null && _linking)
        {
            if (_sourceByKey.Count >= MaxSources)
            {
                _sourceByKey.Clear();
            }

            _sourceByKey[key] = path;
        }
    }
}
