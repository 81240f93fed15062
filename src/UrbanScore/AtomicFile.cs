namespace UrbanScore;

/// <summary>Writes files under a temporary name and renames them when complete, so a reader never sees half a file.</summary>
public static class AtomicFile
{
    /// <summary>A temporary path beside <paramref name="path"/> (same folder, so the rename is atomic).</summary>
    public static string TempPathFor(string path) => path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";

    /// <summary>Writes all bytes atomically.</summary>
    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var temp = TempPathFor(path);
        try
        {
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Writes all bytes atomically through the fixed temporary name <c>path.tmp</c>, for files that only one writer
    /// ever writes (heatmap tiles of one run): when a killed run leaves that temporary file behind, the next write of
    /// the same file reuses and renames it, so leftovers never pile up in a tree of millions of files.
    /// </summary>
    public static void WriteAllBytesSingleWriter(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(bytes);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Writes all bytes atomically through the fixed temporary name <c>path.tmp</c>, for files that only one writer
    /// ever writes (heatmap tiles of one run): when a killed run leaves that temporary file behind, the next write of
    /// the same file reuses and renames it, so leftovers never pile up in a tree of millions of files.
    /// </summary>
    public static async Task WriteAllBytesSingleWriterAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temp = path + ".tmp";
        try
        {
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes text atomically (UTF-8).</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temp = TempPathFor(path);
        try
        {
            await File.WriteAllTextAsync(temp, text, cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Runs <paramref name="write"/> on a temporary path, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temp = TempPathFor(path);
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

    private static void TryDelete(string path)
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
