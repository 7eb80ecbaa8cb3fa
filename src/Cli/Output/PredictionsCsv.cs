using DlBook.Pipelines.IO;
using System.Globalization;
using System.Text;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Cli.Output;

/// <summary>
/// Writes a network's predictions as CSV — <c>Row,PredictedLabel,Score_&lt;class&gt;…</c> (binary: <c>Row,PredictedLabel,Score,Probability</c>;
/// regression: <c>Row,Score</c>) — under a temporary name renamed when complete, so a failure leaves nothing at the path.
/// </summary>
internal static class PredictionsCsv
{
    /// <summary>Writes the rows of <paramref name="scored"/> (the output of <paramref name="network"/>); returns the number written.</summary>
    /// <param name="scored">The scored view.</param>
    /// <param name="network">The network that scored it.</param>
    /// <param name="path">The CSV to write.</param>
    /// <param name="onNonFinite">Called with the 0-based row whose scores are not finite (a NaN feature); it may throw to stop, and then nothing is written.</param>
    public static long Write(IDataView scored, NetworkTransformer network, string path, Action<long>? onNonFinite = null)
    {
        return AtomicFile.WriteText(path, w => WriteRows(scored, network, w, onNonFinite));
    }

    private static long WriteRows(IDataView scored, NetworkTransformer network, TextWriter w, Action<long>? onNonFinite)
    {
        var inv = CultureInfo.InvariantCulture;
        var kind = network.Outputs.Kind;
        var labels = network.LabelNames;
        var score = scored.Schema[ScoreColumns.Score];
        var columns = new List<DataViewSchema.Column> { score };
        // A non-finite feature (a NaN or an infinity the CSV holds) can still give a finite score: check the features too.
        var features = onNonFinite is null ? null : scored.Schema.GetColumnOrNull(network.FeatureColumnName);
        if (features is { Type: VectorDataViewType { ItemType.RawType: var raw } } f && raw == typeof(float)) columns.Add(f);
        else features = null;
        var header = new StringBuilder("Row");
        if (kind == PredictionKind.MulticlassClassification)
        {
            var predicted = scored.Schema[ScoreColumns.PredictedLabel];
            columns.Add(predicted);
            header.Append(",PredictedLabel");
            int classes = network.Outputs.Classes;
            for (int j = 0; j < classes; j++)
                header.Append(',').Append(Quote($"Score_{(labels is not null && j < labels.Count ? labels[j] : j.ToString(inv))}"));
            w.Write(header.Append('\n'));
            using var cursor = scored.GetRowCursor(columns);
            var finiteFeatures = FiniteFeatures(cursor, features);
            var getScore = cursor.GetGetter<VBuffer<float>>(score);
            var getPredicted = cursor.GetGetter<uint>(predicted);
            VBuffer<float> s = default;
            uint key = 0;
            var line = new StringBuilder();
            long row = 0;
            while (cursor.MoveNext())
            {
                getScore(ref s);
                getPredicted(ref key);
                if (onNonFinite is not null && (!AllFinite(s) || !finiteFeatures!())) onNonFinite(row);
                line.Clear().Append(row.ToString(inv)).Append(',');
                // Keys are 1-based; 0 is a missing prediction (a NaN feature).
                line.Append(key == 0 ? "" : labels is not null && key <= labels.Count ? Quote(labels[(int)key - 1]) : (key - 1).ToString(inv));
                foreach (var x in s.DenseValues()) line.Append(',').Append(x.ToString("R", inv));
                w.Write(line.Append('\n'));
                row++;
            }
            return row;
        }
        if (kind == PredictionKind.BinaryClassification)
        {
            var predicted = scored.Schema[ScoreColumns.PredictedLabel];
            var probability = scored.Schema[ScoreColumns.Probability];
            columns.Add(predicted);
            columns.Add(probability);
            w.Write("Row,PredictedLabel,Score,Probability\n");
            using var cursor = scored.GetRowCursor(columns);
            var finiteFeatures = FiniteFeatures(cursor, features);
            var getScore = cursor.GetGetter<float>(score);
            var getPredicted = cursor.GetGetter<bool>(predicted);
            var getProbability = cursor.GetGetter<float>(probability);
            float s = 0, p = 0;
            bool b = false;
            long row = 0;
            while (cursor.MoveNext())
            {
                getScore(ref s); getPredicted(ref b); getProbability(ref p);
                if (onNonFinite is not null && (!float.IsFinite(s) || !finiteFeatures!())) onNonFinite(row);
                w.Write(string.Create(inv, $"{row},{(b ? "true" : "false")},{s.ToString("R", inv)},{p.ToString("R", inv)}\n"));
                row++;
            }
            return row;
        }
        else
        {
            w.Write("Row,Score\n");
            using var cursor = scored.GetRowCursor(columns);
            var finiteFeatures = FiniteFeatures(cursor, features);
            var getScore = cursor.GetGetter<float>(score);
            float s = 0;
            long row = 0;
            while (cursor.MoveNext())
            {
                getScore(ref s);
                if (onNonFinite is not null && (!float.IsFinite(s) || !finiteFeatures!())) onNonFinite(row);
                w.Write(string.Create(inv, $"{row},{s.ToString("R", inv)}\n"));
                row++;
            }
            return row;
        }
    }

    private static Func<bool> FiniteFeatures(DataViewRowCursor cursor, DataViewSchema.Column? features)
    {
        if (features is not { } column) return () => true;
        var get = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> v = default;
        return () => { get(ref v); return AllFinite(v); };
    }

    private static bool AllFinite(in VBuffer<float> v)
    {
        foreach (var x in v.GetValues()) if (!float.IsFinite(x)) return false;
        return true;
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
