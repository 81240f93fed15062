namespace UrbanScore;

/// <summary>Writes files under a temporary name and renames them when complete, so a reader never sees half a file.</summary>
public static class AtomicFile
{
    /// <summary>A temporary path beside <paramref name="path"/> (same folder, so the rename is atomic).</summary>
    internal static string TempPathFor(string path) => path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";

    /// <summary>Writes all bytes atomically.</summary>
    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        ReplaceAsync(path, TempPathFor(path), temp => File.WriteAllBytesAsync(temp, bytes, cancellationToken));

    /// <summary>
    /// Writes all bytes atomically through the fixed temporary name <c>path.tmp</c>, for files that only one writer
    /// ever writes (heatmap tiles of one run): when a killed run leaves that temporary file behind, the next write of
    /// the same file reuses and renames it, so leftovers never pile up in a tree of millions of files. Synchronous:
    /// meant for tiny files written by one sink task.
    /// </summary>
    internal static void WriteAllBytesSingleWriter(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        Replace(path, path + ".tmp", temp =>
        {
            using var stream = CreateNew(temp);
            stream.Write(bytes);
        });
    }

    /// <summary>
    /// Creates <paramref name="temp"/> as a new, empty file, deleting a leftover of a killed run first. Not
    /// <see cref="FileMode.Create"/>: .NET implements it as open + <c>ftruncate(0)</c>, and on ext4 (auto_da_alloc, the
    /// default) a truncate to zero makes <c>close</c> start writing the file's data to disk at once, one block I/O
    /// per file: with <c>FileMode.CreateNew</c> (<c>O_EXCL</c>, nothing to truncate) the data stays in the page cache and
    /// the kernel writes it back later, in bulk (benchmarks/results/2026-11-30-fixed-costs.md).
    /// </summary>
    private static FileStream CreateNew(string temp)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        }
        catch (IOException) when (File.Exists(temp))
        {
            File.Delete(temp);
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        }
    }

    /// <summary>Writes text atomically (UTF-8).</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken) =>
        ReplaceAsync(path, TempPathFor(path), temp => File.WriteAllTextAsync(temp, text, cancellationToken));

    /// <summary>Runs <paramref name="write"/> on a temporary path, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Replace(path, TempPathFor(path), write);
    }

    private static void Replace(string path, string temp, Action<string> write)
    {
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static async Task ReplaceAsync(string path, string temp, Func<string, Task> write)
    {
        try
        {
            await write(temp).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Deletes a leftover file, best effort: after a failure, that failure is the one worth reporting.</summary>
    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temp file.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
