using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace DlBook.Cli.Commands;

/// <summary>
/// Options whose values are parsed and range-checked while the command line is parsed, so a bad value fails (exit 2,
/// a message naming the flag the user typed and what it takes) before anything is loaded, printed or written.
/// </summary>
internal static class OptionRules
{
    /// <summary>An option with a description (and a default when given).</summary>
    public static Option<T> Opt<T>(string name, string description) => new(name) { Description = description };

    /// <inheritdoc cref="Opt{T}(string, string)"/>
    public static Option<T> Opt<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>An optional integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int?> Int(string name, string description, int min, int max = int.MaxValue) =>
        new(name) { Description = description, HelpName = "int", CustomParser = r => ParseInt(r, name, min, max) };

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>] with a default.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max = int.MaxValue) =>
        new(name)
        {
            Description = description, HelpName = "int", DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseInt(r, name, min, max) ?? defaultValue,
        };

    /// <summary>An optional finite number ≥ <paramref name="min"/> (&gt; with <paramref name="minExclusive"/>), below <paramref name="maxExclusive"/> when given.</summary>
    public static Option<float?> Float(string name, string description, float min, bool minExclusive = false, float? maxExclusive = null) =>
        new(name)
        {
            Description = description, HelpName = "number",
            CustomParser = r =>
            {
                var text = Text(r);
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !float.IsFinite(v)
                    || (minExclusive ? v <= min : v < min) || (maxExclusive is float max && v >= max))
                {
                    string range = maxExclusive is float m
                        ? string.Create(CultureInfo.InvariantCulture, $"a number in {(minExclusive ? "(" : "[")}{min}, {m})")
                        : string.Create(CultureInfo.InvariantCulture, $"a finite number {(minExclusive ? ">" : "≥")} {min}");
                    r.AddError($"{name} must be {range} (got '{text}').");
                    return null;
                }
                return v;
            },
        };

    /// <summary>An optional true/false flag (<c>--flag</c> alone is true).</summary>
    public static Option<bool?> Bool(string name, string description) =>
        new(name)
        {
            Description = description, HelpName = "true|false", Arity = ArgumentArity.ZeroOrOne,
            CustomParser = r =>
            {
                if (r.Tokens.Count == 0) return true;
                if (bool.TryParse(Text(r), out var b)) return b;
                r.AddError($"{name} must be true or false (got '{Text(r)}').");
                return null;
            },
        };

    /// <summary>
    /// An option taking one of <paramref name="allowed"/> (case-insensitive), listed in the help; any other value is a
    /// parse error naming the option and the choices.
    /// </summary>
    public static Option<T?> Choice<T>(string name, string description, params T[] allowed) where T : struct, Enum =>
        new(name)
        {
            Description = description,
            HelpName = string.Join("|", allowed),
            CustomParser = r =>
            {
                var text = Text(r);
                foreach (var a in allowed)
                    if (string.Equals(a.ToString(), text, StringComparison.OrdinalIgnoreCase)) return a;
                r.AddError($"{name} must be one of {string.Join(", ", allowed)} (got '{text}').");
                return null;
            },
        };

    /// <summary>True when the user gave the option on the command line (not its default).</summary>
    public static bool Given(this ParseResult r, Option option) => r.GetResult(option) is { Implicit: false };

    private static int? ParseInt(ArgumentResult r, string name, int min, int max)
    {
        var text = Text(r);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max) return v;
        bool tooLarge = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long big) && big > max;
        string range = max == int.MaxValue && !tooLarge
            ? string.Create(CultureInfo.InvariantCulture, $"an integer ≥ {min}")
            : string.Create(CultureInfo.InvariantCulture, $"an integer from {min} to {max}");
        r.AddError($"{name} must be {range} (got '{text}').");
        return null;
    }

    private static string Text(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
}
