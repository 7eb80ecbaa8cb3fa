using System.Text;

namespace DlBook.Fuzz.Mutations;

/// <summary>
/// Mutations of a delimited text file (CSV, TSV): cells that are not numbers or not finite, huge numbers, rows with
/// too few or too many cells, empty files, a BOM, very long lines, NULs, invalid UTF-8, other line endings.
/// </summary>
public static class Csv
{
    private static readonly string[] BadCells =
        ["NaN", "nan", "Infinity", "-Infinity", "∞", "1e39", "-1e39", "1e308", "3.5e38", "-3.4e38", "1e-50", "abc", "", " ", "0x10",
         "1,5", "\"1\"", "\"", "1.2.3", "--1", "+", "1e", "١٢", "99999999999999999999999999999999999999999999"];

    public static Func<Random, byte[], List<string>, byte[]> Cells(char separator) => (rng, data, log) => Mutate(rng, data, log, separator);

    private static byte[] Mutate(Random rng, byte[] data, List<string> log, char sep)
    {
        var lines = Encoding.UTF8.GetString(data).Split('\n').ToList();
        if (lines.Count > 1 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        int row = lines.Count == 0 ? 0 : rng.Next(lines.Count);
        string[] cells = lines.Count == 0 ? [] : lines[row].Split(sep);
        string Join(IEnumerable<string> c) => string.Join(sep, c);
        switch (rng.Next(14))
        {
            case 0 or 1 or 2:   // one cell replaced (the commonest bad file: one bad value)
                if (cells.Length == 0) goto case 4;
                int col = rng.Next(cells.Length);
                var bad = BadCells[rng.Next(BadCells.Length)];
                cells[col] = bad;
                lines[row] = Join(cells);
                log.Add($"cell[{row},{col}]='{bad}'");
                break;
            case 3:   // a cell dropped
                if (cells.Length < 2) goto case 4;
                int drop = rng.Next(cells.Length);
                lines[row] = Join(cells.Where((_, i) => i != drop));
                log.Add($"dropcell[{row},{drop}]");
                break;
            case 4:   // cells added
                int add = 1 + rng.Next(3);
                lines[row] = Join([.. cells, .. Enumerable.Repeat("0.5", add)]);
                log.Add($"addcells[{row}]+{add}");
                break;
            case 5:   // a row dropped or repeated, a blank or whitespace row inserted
                int k = rng.Next(3);
                if (k == 0 && lines.Count > 0) lines.RemoveAt(row);
                else if (k == 1 && lines.Count > 0) lines.Insert(row, lines[row]);
                else lines.Insert(row, rng.Next(2) == 0 ? "" : "   \t ");
                log.Add($"row[{row}]:{(k == 0 ? "drop" : k == 1 ? "repeat" : "blank")}");
                break;
            case 6:   // empty, header only, a single separator
                int e = rng.Next(3);
                log.Add(e == 0 ? "empty" : e == 1 ? "first-line-only" : "separator-only");
                return e == 0 ? [] : Encoding.UTF8.GetBytes(e == 1 && lines.Count > 0 ? lines[0] + "\n" : sep + "\n");
            case 7:   // a very long line: many cells, or one cell of many digits
                bool many = rng.Next(2) == 0;
                lines[row] = many ? Join(Enumerable.Repeat("0.1", 50_000 + rng.Next(50_000))) : new string('7', 1 << (16 + rng.Next(5)));
                log.Add($"longline[{row}]:{(many ? "cells" : "digits")}");
                break;
            case 8:   // the separator changed on one line
                char other = sep == ',' ? rng.Next(2) == 0 ? '\t' : ';' : ',';
                lines[row] = lines[row].Replace(sep, other);
                log.Add($"separator[{row}]='{other}'");
                break;
            case 9:   // a header row of names put first, or the header removed
                if (rng.Next(2) == 0 && lines.Count > 0) { lines.RemoveAt(0); log.Add("drop-first-line"); }
                else { lines.Insert(0, Join(cells.Select((_, i) => $"c{i}"))); log.Add("names-row"); }
                break;
            case 10:  // CRLF, or CR only
                bool cr = rng.Next(2) == 0;
                log.Add(cr ? "cr-only" : "crlf");
                return Encoding.UTF8.GetBytes(string.Join(cr ? "\r" : "\r\n", lines) + (cr ? "\r" : "\r\n"));
            case 11:  // a BOM (UTF-8, or UTF-16's)
                bool utf16 = rng.Next(3) == 0;
                log.Add(utf16 ? "utf16" : "bom");
                return utf16 ? Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(string.Join('\n', lines))).ToArray()
                    : [0xEF, 0xBB, 0xBF, .. data];
            default:  // a NUL or invalid UTF-8 inside a row
                var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
                int at = Bytes.Offset(rng, bytes.Length);
                byte[] junk = rng.Next(3) switch { 0 => [0], 1 => [0xC3, 0x28], _ => [0xFF, 0xFE, 0x80] };
                log.Add($"bytes@{at}={Convert.ToHexString(junk)}");
                return [.. bytes.AsSpan(0, at), .. junk, .. bytes.AsSpan(at)];
        }
        return Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
    }
}
