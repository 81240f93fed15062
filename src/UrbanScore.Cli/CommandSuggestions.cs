using System.CommandLine;

namespace UrbanScore.Cli;

/// <summary>
/// "unknown command 'scroe'; did you mean 'score'?" and the same for options: the nearest name by edit distance,
/// and the list of commands, instead of System.CommandLine's generic "Required command was not provided".
/// </summary>
internal static class CommandSuggestions
{
    /// <summary>The message for a first word that is no command, or null when it is one (or an option).</summary>
    public static string? UnknownCommand(RootCommand root, string[] args, string commandName)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return null;
        }

        var names = root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (root.Subcommands.Any(c => c.Name == args[0] || c.Aliases.Contains(args[0])))
        {
            return null;
        }

        var nearest = Nearest(args[0], names);
        var guess = nearest is null ? string.Empty : $"; did you mean '{nearest}'?";
        return $"unknown command '{args[0]}'{guess} Commands: {string.Join(", ", names)} ('{commandName} COMMAND --help' explains each).";
    }

    /// <summary>The message for an unknown option of the parsed command, or null when no token is unknown.</summary>
    public static string? UnknownOption(ParseResult parseResult)
    {
        var unknown = parseResult.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-'));
        if (unknown is null)
        {
            return null;
        }

        var options = parseResult.CommandResult.Command.Options
            .Where(o => !o.Hidden)
            .SelectMany(o => o.Aliases.Prepend(o.Name))
            .Where(n => n.StartsWith("--", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        var nearest = Nearest(unknown, options);
        return nearest is null
            ? $"unknown option '{unknown}' for '{parseResult.CommandResult.Command.Name}'."
            : $"unknown option '{unknown}'; did you mean '{nearest}'?";
    }

    /// <summary>The closest candidate within an edit distance of a third of the word (at least 2), or null.</summary>
    internal static string? Nearest(string word, IEnumerable<string> candidates)
    {
        var limit = Math.Max(2, word.Length / 3);
        return candidates
            .Select(c => (Name: c, Distance: Distance(word.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions: 'scroe' → 'score' is 1).</summary>
    private static int Distance(string a, string b)
    {
        var d = Enumerable.Range(0, a.Length + 1).Select(_ => new int[b.Length + 1]).ToArray();
        for (var i = 0; i <= a.Length; i++)
        {
            d[i][0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0][j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i][j] = Math.Min(Math.Min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i][j] = Math.Min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }

        return d[a.Length][b.Length];
    }
}
