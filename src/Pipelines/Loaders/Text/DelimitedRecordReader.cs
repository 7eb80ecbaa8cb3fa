using System.Text;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Loaders.Text;

/// <summary>
/// Reads records of a delimited file one at a time: LF, CRLF or CR line ends, a last line with or without one,
/// RFC 4180 quoted fields (which may span lines). Blank lines are skipped.
/// </summary>
internal sealed class DelimitedRecordReader(TextReader reader, string path, char separator, bool quoting, bool trim)
{
    private readonly StringBuilder _field = new();
    private long _line = 1;

    /// <summary>The 1-based line the last record started on.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next non-blank record into <paramref name="fields"/>; false at end of file.</summary>
    public bool Read(List<string> fields)
    {
        while (true)
        {
            fields.Clear();
            int c = reader.Peek();
            if (c < 0) return false;
            RecordLine = _line;
            if (ReadRecord(fields) && !(fields.Count == 1 && fields[0].Length == 0)) return true;
            if (reader.Peek() < 0 && fields.Count == 0) return false;
        }
    }

    /// <summary>Reads fields up to the end of the line; returns false for a blank line.</summary>
    private bool ReadRecord(List<string> fields)
    {
        while (true)
        {
            _field.Clear();
            int c = reader.Peek();
            if (quoting && c == '"')
            {
                reader.Read();
                ReadQuoted(fields.Count);
                c = reader.Read();
                if (c == separator) { fields.Add(_field.ToString()); continue; }
                fields.Add(_field.ToString());
                if (c < 0) return true;
                if (IsLineEnd(c)) { EndLine(c); return true; }
                throw new DataFormatException(path, $"line {_line}, field {fields.Count}",
                    $"'{(char)c}' follows the closing quote of a quoted field; RFC 4180 allows only the separator or a line end there.",
                    "Double the quote (\"\") inside quoted text, or load with AllowQuoting = false.");
            }
            while (true)
            {
                c = reader.Read();
                if (c < 0 || c == separator || IsLineEnd(c)) break;
                _field.Append((char)c);
            }
            var text = _field.ToString();
            fields.Add(trim ? text.Trim(' ', '\t') : text);
            if (c == separator) continue;
            if (c >= 0) EndLine(c);
            return true;
        }
    }

    private void ReadQuoted(int fieldIndex)
    {
        long start = _line;
        while (true)
        {
            int c = reader.Read();
            if (c < 0)
                throw new DataFormatException(path, $"line {start}, field {fieldIndex}",
                    "a quoted field is never closed (the file ends inside it).",
                    "Close the quote, double quotes inside quoted text (\"\"), or load with AllowQuoting = false.");
            if (c == '"')
            {
                if (reader.Peek() == '"') { reader.Read(); _field.Append('"'); continue; }
                return;
            }
            if (c == '\n' || (c == '\r' && reader.Peek() != '\n')) _line++;
            _field.Append((char)c);
        }
    }

    private static bool IsLineEnd(int c) => c == '\n' || c == '\r';

    private void EndLine(int c)
    {
        if (c == '\r' && reader.Peek() == '\n') reader.Read();
        _line++;
    }
}
