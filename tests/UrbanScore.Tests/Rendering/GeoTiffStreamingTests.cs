using UrbanScore.Rendering;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Rendering;

/// <summary>
/// Measures process-wide allocations, so it runs alone (its own collection, parallelization off): other tests
/// allocating at the same time would blur the numbers.
/// </summary>
[Collection(nameof(GeoTiffStreamingTests))]
[CollectionDefinition(nameof(GeoTiffStreamingTests), DisableParallelization = true)]
public sealed class GeoTiffStreamingTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("urbanscore-geotiff-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void WriteScores_LargeGrid_ReadsEveryRowOnceInOrderWithMemoryIndependentOfRows()
    {
        // 2000×2000 tiles, then 2000×4000: the row callback checks order, and the extra 2000 rows (32 MB of Float32
        // raster at 1 px per tile) must not add more than a few MB of allocations (spool index and LibTiff's
        // 16 bytes per TIFF tile grow; nothing else may).
        var small = WriteLargeGrid(2000);
        var large = WriteLargeGrid(4000);

        var extraRasterBytes = 2000L * 2000 * sizeof(float);
        Assert.True(large - small < extraRasterBytes / 8, $"{small} bytes allocated for 2000 rows, {large} for 4000");
    }

    private long WriteLargeGrid(int rows)
    {
        var grid = new GeoTiffGrid(
            TileMatrixSet.WebMercatorQuad(),
            new TileRange(Zoom: 14, MinCol: 6000, MinRow: 5000, MaxCol: 7999, MaxRow: 5000 + rows - 1),
            pixelsPerTile: 1);
        var path = Path.Combine(_folder.FullName, "large.tif");
        var nextRow = grid.Range.MinRow;
        var badCalls = 0;
        var before = GC.GetTotalAllocatedBytes(precise: true);

        // No Assert inside the callback: xunit's asserts allocate, and allocations are what this test measures.
        GeoTiffWriter.WriteScores(
            path,
            grid,
            (row, scores) =>
            {
                if (row != nextRow || scores.Length != grid.Range.Width || !float.IsNaN(scores[0]))
                {
                    badCalls++;
                }

                nextRow++;
                scores.Fill((row % 10) / 10f);
            },
            cancellationToken: TestContext.Current.CancellationToken);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(0, badCalls);
        Assert.Equal(grid.Range.MaxRow + 1, nextRow);
        Assert.Equal(new[] { path }, _folder.GetFiles().Select(f => f.FullName));
        File.Delete(path);
        return allocated;
    }
}
