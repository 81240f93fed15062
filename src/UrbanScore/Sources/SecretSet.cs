using System.Text.RegularExpressions;

namespace UrbanScore.Sources;

/// <summary>
/// The secrets of one run: literal values to redact wherever text leaves the process (logs, console, run.json, every
/// product) and the <c>{env:NAME}</c> placeholders that let a key stay out of the command line. A placeholder is filled
/// from the environment only where a request is built; the filled value is registered here as a secret, because
/// servers echo it back (capabilities documents repeat the key in every ResourceURL). Thread-safe.
/// </summary>
public sealed partial class SecretSet
{
    /// <summary>Shortest value redacted literally: shorter ones would mask ordinary text ("1", "png").</summary>
    public const int MinimumLength = 4;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _replacements = new(StringComparer.Ordinal);
    private KeyValuePair<string, string>[] _ordered = [];

    /// <summary>Registers a literal secret, shown as <see cref="SecretRedactor.Mask"/>.</summary>
    public void Add(string value) => Add(value, SecretRedactor.Mask);

    /// <summary>
    /// Replaces every <c>{env:NAME}</c> in <paramref name="text"/> with the environment variable's value and registers
    /// the value as a secret shown as the placeholder itself.
    /// </summary>
    /// <param name="text">A URL template, capabilities URL or header value.</param>
    /// <param name="what">What the text is, for the error message (e.g. "--xyz").</param>
    /// <exception cref="UrbanScoreException">A named variable is not set or empty.</exception>
    public string Fill(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Placeholder().Replace(text, match =>
        {
            var name = match.Groups["name"].Value;
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
            {
                throw new UrbanScoreException($"{what} names the environment variable {name} ({match.Value}), which is not set; export {name}=<your key> in this shell and run again.");
            }

            Add(value, match.Value);
            return value;
        });
    }

    /// <summary>
    /// Removes every registered secret from <paramref name="text"/>, then key query parameters and URL user-info
    /// (<see cref="SecretRedactor.Redact(string)"/>).
    /// </summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        KeyValuePair<string, string>[] ordered;
        lock (_lock)
        {
            ordered = _ordered;
        }

        foreach (var (secret, replacement) in ordered)
        {
            text = text.Replace(secret, replacement, StringComparison.Ordinal);
        }

        return SecretRedactor.Redact(text);
    }

    private void Add(string value, string replacement)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Trim().Length < MinimumLength)
        {
            return;
        }

        lock (_lock)
        {
            if (_replacements.TryAdd(value, replacement))
            {
                // Longest first, so a secret that contains another is masked whole.
                _ordered = [.. _replacements.OrderByDescending(p => p.Key.Length)];
            }
        }
    }

    [GeneratedRegex(@"\{env:(?<name>[A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
