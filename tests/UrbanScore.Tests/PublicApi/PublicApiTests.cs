using PublicApiGenerator;
using UrbanScore.Runs;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.PublicApi;

/// <summary>
/// The public surface of the UrbanScore library, compared with the approved text committed beside this file, so the
/// API never changes by accident. After an intended change, regenerate the approved file with:
/// <code>URBANSCORE_ACCEPT_API=1 dotnet test tests/UrbanScore.Tests --filter FullyQualifiedName~PublicApiTests</code>
/// and commit tests/UrbanScore.Tests/PublicApi/UrbanScore.approved.txt (the diff is the API review).
/// </summary>
public sealed class PublicApiTests
{
    private const string ApprovedName = "UrbanScore.approved.txt";
    private const string ReceivedName = "UrbanScore.received.txt";

    [Fact]
    public void PublicApi_UrbanScoreAssembly_MatchesTheApprovedFile()
    {
        var api = typeof(ScoreJob).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // Attributes the compiler adds (nullable context, refsafety) are noise in a review.
            ExcludeAttributes = ["System.Runtime.CompilerServices.NullableContextAttribute", "System.Runtime.CompilerServices.NullableAttribute"],
        }).ReplaceLineEndings("\n");
        var folder = Path.Combine(SharedFixtures.RepoRoot, "tests", "UrbanScore.Tests", "PublicApi");
        var approvedPath = Path.Combine(folder, ApprovedName);
        var receivedPath = Path.Combine(folder, ReceivedName);
        if (Environment.GetEnvironmentVariable("URBANSCORE_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, api);
            File.Delete(receivedPath);
            return;
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (approved == api)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, api);
        Assert.Fail(
            $"The public API of UrbanScore changed. Compare {receivedPath} with {approvedPath} " +
            $"(e.g. diff -u {approvedPath} {receivedPath}). If the change is intended, run " +
            "'URBANSCORE_ACCEPT_API=1 dotnet test tests/UrbanScore.Tests --filter FullyQualifiedName~PublicApiTests' and commit the approved file.\n" +
            FirstDifference(approved, api));
    }

    private static string FirstDifference(string approved, string received)
    {
        var a = approved.Split('\n');
        var r = received.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, r.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(end)";
            var right = i < r.Length ? r[i] : "(end)";
            if (left != right)
            {
                return $"first difference at line {i + 1}:\n  approved: {left}\n  received: {right}";
            }
        }

        return string.Empty;
    }
}
