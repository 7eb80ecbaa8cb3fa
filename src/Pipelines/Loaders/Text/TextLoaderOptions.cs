namespace DlBook.Pipelines.Loaders.Text;

/// <summary>How to read a delimited text file (ML.NET's TextLoader.Options).</summary>
public sealed record TextLoaderOptions
{
    /// <summary>The columns to read.</summary>
    public required IReadOnlyList<TextLoaderColumn> Columns { get; init; }

    /// <summary>Field separator; null picks it from the extension (.csv → ',', .tsv/.tab → tab) or, failing that, from the
    /// first line (tab if it holds one, else ';' if it holds one and no ',', else ',').</summary>
    public char? Separator { get; init; }

    /// <summary>Skip the first record (column titles).</summary>
    public bool HasHeader { get; init; }

    /// <summary>RFC 4180 quoting: a field that starts with '"' runs to the matching '"', may hold separators and line breaks,
    /// and writes '"' as '""'. Null (the default) enables it except for tab-separated files, where quotes are ordinary
    /// characters (TSV convention; e.g. SMSSpamCollection has messages that start with an unbalanced quote).
    /// ML.NET's default is false.</summary>
    public bool? AllowQuoting { get; init; }

    /// <summary>Trim spaces and tabs around unquoted fields.</summary>
    public bool TrimWhitespace { get; init; }
}
