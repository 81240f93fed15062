using System.Text;
using UrbanScore.Sources;

namespace UrbanScore.Cli;

/// <summary>
/// The last line of defence for the console: every string written passes through <see cref="SecretSet.Redact"/>,
/// so a secret in any message (an exception text, a server's echo) never reaches stdout or stderr. Borrows the inner
/// writer.
/// </summary>
internal sealed class RedactingWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly SecretSet _secrets;

    public RedactingWriter(TextWriter inner, SecretSet secrets)
    {
        _inner = inner;
        _secrets = secrets;
    }

    public override Encoding Encoding => _inner.Encoding;

    public override IFormatProvider FormatProvider => _inner.FormatProvider;

    public override void Write(char value) => _inner.Write(value);

    public override void Write(string? value) => _inner.Write(value is null ? null : _secrets.Redact(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => _inner.WriteLine(value is null ? null : _secrets.Redact(value));

    public override Task WriteAsync(string? value) => _inner.WriteAsync(value is null ? null : _secrets.Redact(value));

    public override Task WriteLineAsync(string? value) => _inner.WriteLineAsync(value is null ? null : _secrets.Redact(value));

    public override Task WriteAsync(char[] buffer, int index, int count) => WriteAsync(new string(buffer, index, count));

    public override Task WriteLineAsync(char[] buffer, int index, int count) => WriteLineAsync(new string(buffer, index, count));

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync() => _inner.FlushAsync();
}
