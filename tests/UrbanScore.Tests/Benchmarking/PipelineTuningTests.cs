using UrbanScore.Pipeline;

namespace UrbanScore.Tests.Benchmarking;

public sealed class PipelineTuningTests
{
    [Fact]
    public void FetchConcurrency_FiftyMillisecondsAtTwoHundredTilesPerSecond_KeepsTwiceLittlesLawInFlight()
    {
        // 200 tiles/s × 0.05 s = 10 requests in flight; twice that, plus 4 per core of slack.
        Assert.Equal(20 + 8, PipelineTuning.FetchConcurrency(200, TimeSpan.FromMilliseconds(50), cores: 2));
    }

    [Theory]
    [InlineData(2, 2, false, true)]
    [InlineData(8, 4, false, true)]
    [InlineData(1, 2, false, false)]
    [InlineData(2, 2, true, false)]
    public void WakeInline_ComputeWorkersOnEveryCoreOfACpuRun_RunsWakeUpsOnTheWaker(int workers, int cores, bool gpu, bool inline) =>
        Assert.Equal(inline, PipelineTuning.WakeInline(workers, cores, gpu));

    [Fact]
    public void FetchConcurrency_LocalServer_IsAtLeastSixteen() =>
        Assert.Equal(16, PipelineTuning.FetchConcurrency(100, TimeSpan.FromMilliseconds(0.3), cores: 2));

    [Fact]
    public void FetchConcurrency_HugeLatency_IsCapped() =>
        Assert.Equal(1024, PipelineTuning.FetchConcurrency(10_000, TimeSpan.FromSeconds(5), cores: 64));

    [Theory]
    [InlineData(2, null, 4, 1)]
    [InlineData(2, 1, 4, 1)]
    [InlineData(16, 1, 4, 1)]
    [InlineData(2, 3, 6, 1)]
    [InlineData(2, 8, 8, 1)]
    public void BatchSizeAndIntraOp_PerCoreWorkersWithSingleThreadedRuns(int cores, int? fixedBatch, int batch, int intraOp)
    {
        Assert.Equal(batch, PipelineTuning.BatchSize(cores, fixedBatch));
        Assert.Equal(intraOp, PipelineTuning.IntraOpThreads(cores, fixedBatch));
        Assert.Equal(cores, PipelineTuning.DecodeWorkers(cores));
    }
}
