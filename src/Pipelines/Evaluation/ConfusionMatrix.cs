using System.Globalization;
using System.Text;

namespace DlBook.Pipelines.Evaluation;

/// <summary>Counts of (true class, predicted class) pairs, with per-class precision and recall (ML.NET's ConfusionMatrix).</summary>
public sealed class ConfusionMatrix
{
    private readonly double[][] _counts;

    /// <summary>Creates a matrix from <paramref name="counts"/>[truth][predicted]; <paramref name="classNames"/> label the table.</summary>
    public ConfusionMatrix(double[][] counts, IReadOnlyList<string>? classNames = null)
    {
        int k = counts.Length;
        if (counts.Any(r => r.Length != k)) throw new ArgumentException("The confusion matrix must be square.");
        if (classNames is not null && classNames.Count != k) throw new ArgumentException($"{classNames.Count} class names for {k} classes.");
        _counts = counts.Select(r => (double[])r.Clone()).ToArray();
        ClassNames = classNames?.ToArray() ?? Enumerable.Range(0, k).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var recall = new double[k];
        var precision = new double[k];
        for (int c = 0; c < k; c++)
        {
            double truth = _counts[c].Sum(), predicted = _counts.Sum(r => r[c]);
            recall[c] = truth > 0 ? _counts[c][c] / truth : 0;
            precision[c] = predicted > 0 ? _counts[c][c] / predicted : 0;
        }
        PerClassRecall = recall;
        PerClassPrecision = precision;
    }

    /// <summary>Number of classes.</summary>
    public int NumberOfClasses => _counts.Length;

    /// <summary>Counts[truth][predicted].</summary>
    public IReadOnlyList<IReadOnlyList<double>> Counts => _counts;

    /// <summary>Class names (label names, or the key indices).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Per class: correct / predicted as the class (0 when never predicted).</summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>Per class: correct / truly of the class (0 when absent).</summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>The matrix as a text table, rows = truth, columns = prediction, with recall per row and precision per column (like ML.NET's).</summary>
    public string GetFormattedConfusionTable()
    {
        int k = NumberOfClasses;
        int width = Math.Max(7, Math.Max(ClassNames.Max(n => n.Length), (int)Math.Log10(Math.Max(1, _counts.Max(r => r.Max()))) + 2));
        string Cell(string s) => s.PadLeft(width);
        int labelWidth = Math.Max(9, ClassNames.Max(n => n.Length));
        var rule = new string(' ', labelWidth) + " ||" + new string('=', (width + 3) * k + 8);
        var sb = new StringBuilder();
        sb.AppendLine("Confusion table");
        sb.AppendLine(rule);
        sb.Append("PREDICTED".PadRight(labelWidth)).Append(" ||");
        foreach (var n in ClassNames) sb.Append(Cell(n)).Append(" |");
        sb.AppendLine(" Recall");
        sb.Append("TRUTH".PadRight(labelWidth)).AppendLine(rule[labelWidth..]);
        for (int t = 0; t < k; t++)
        {
            sb.Append(ClassNames[t].PadLeft(labelWidth)).Append(" ||");
            for (int p = 0; p < k; p++) sb.Append(Cell(_counts[t][p].ToString("0", CultureInfo.InvariantCulture))).Append(" |");
            sb.Append(' ').AppendLine(PerClassRecall[t].ToString("0.0000", CultureInfo.InvariantCulture));
        }
        sb.AppendLine(rule);
        sb.Append("Precision".PadRight(labelWidth)).Append(" ||");
        foreach (var p in PerClassPrecision) sb.Append(Cell(p.ToString("0.0000", CultureInfo.InvariantCulture))).Append(" |");
        sb.AppendLine();
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => GetFormattedConfusionTable();
}
