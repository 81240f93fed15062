using System.Globalization;

namespace UrbanScore.Cli;

/// <summary>How the user started the tool, so hints print a command that works for them.</summary>
internal static class Invocation
{
    /// <summary>
    /// <c>urbanscore</c> for the installed tool; <c>dotnet run -c Release --project src/UrbanScore.Cli --</c> (path
    /// relative to the current folder) when running from a checkout's build output.
    /// </summary>
    public static string Describe()
    {
        // GetFileName, not GetFileNameWithoutExtension: the checkout's apphost "UrbanScore.Cli" would read as "UrbanScore".
        var process = Path.GetFileName(Environment.ProcessPath ?? string.Empty);
        if (process.Equals("urbanscore", StringComparison.OrdinalIgnoreCase) || process.Equals("urbanscore.exe", StringComparison.OrdinalIgnoreCase))
        {
            return "urbanscore";
        }

        // A checkout's build output: <project>/bin/<Configuration>/<tfm>/ (dotnet run starts the apphost from there).
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent;
        var project = configuration?.Parent?.Parent;
        if (project is null || !File.Exists(Path.Combine(project.FullName, "UrbanScore.Cli.csproj")))
        {
            return "urbanscore";
        }

        var relative = Path.GetRelativePath(Environment.CurrentDirectory, project.FullName);
        var config = string.Equals(configuration!.Name, "Debug", StringComparison.OrdinalIgnoreCase)
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"-c {configuration.Name} ");
        return $"dotnet run {config}--project {(relative.Contains(' ', StringComparison.Ordinal) ? "\"" + relative + "\"" : relative)} --";
    }
}
