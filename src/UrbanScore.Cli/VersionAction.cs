using System.CommandLine;
using System.CommandLine.Invocation;

namespace UrbanScore.Cli;

/// <summary>Replaces System.CommandLine's default <c>--version</c> output (one number) with <see cref="VersionInfo.Describe"/>.</summary>
internal sealed class VersionAction(CliContext context) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        context.Out.Write(VersionInfo.Describe());
        return ExitCodes.Success;
    }
}
