using System.Text;

namespace UrbanScore.Storage;

/// <summary>
/// Reads RFC 4180 records (comma separated, double-quoted fields that may hold commas, quotes and line breaks).
/// Not thread-safe; does not own the reader.
/// </summary>
public sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly StringBuilder _field = new();

    /// <summary>Reads records from <paramref name="reader"/>, which the caller keeps and disposes.</summary>
    /// <param name="reader">The text, positioned at the start of a record.</param>
    public CsvRecordReader(TextReader reader) => _reader = reader;

    /// <summary>1-based line number where the last record returned by <see cref="Read"/> started.</summary>
    public int LineNumber { get; private set; }

    private int _nextLine = 1;

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the input.</summary>
    public bool Read(List<string> fields)
    {
        fields.Clear();
        _field.Clear();
        LineNumber = _nextLine;
        var c = _reader.Read();
        if (c < 0)
        {
            return false;
        }

        var inQuotes = false;
        while (true)
        {
            if (c < 0)
            {
                fields.Add(_field.ToString());
                return true;
            }

            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        _nextLine++;
                    }

                    _field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                inQuotes = true;
            }
            else if (ch == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
            }
            else if (ch is '\r' or '\n')
            {
                if (ch == '\r' && _reader.Peek() == '\n')
                {
                    _reader.Read();
                }

                _nextLine++;
                fields.Add(_field.ToString());
                return true;
            }
            else
            {
                _field.Append(ch);
            }

            c = _reader.Read();
        }
    }
}
