using System.Globalization;
using System.Text;
using DlBook.TestSupport;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Trainers.Tests;

/// <summary>MNIST rows written as CSV (Label first, then 784 raw pixels), the way a user's own data arrives.</summary>
internal static class MnistCsv
{
    /// <summary>Writes rows [skip, skip+take) of the training set to <paramref name="path"/>.</summary>
    public static void Write(string path, int skip, int take)
    {
        var ml = new MLContext(seed: 0);
        IDataView view = ml.Data.LoadFromIdx(SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("train-labels-idx1-ubyte.gz"), scale: 1f);
        if (skip > 0) view = ml.Data.SkipRows(view, skip);
        view = ml.Data.TakeRows(view, take);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        using var cursor = view.GetRowCursor(view.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        var label = cursor.GetGetter<float>(view.Schema["Label"]);
        VBuffer<float> f = default;
        float l = 0;
        var sb = new StringBuilder();
        while (cursor.MoveNext())
        {
            features(ref f);
            label(ref l);
            sb.Clear().Append(l.ToString(CultureInfo.InvariantCulture));
            foreach (var v in f.DenseValues()) sb.Append(',').Append(((int)v).ToString(CultureInfo.InvariantCulture));
            w.WriteLine(sb);
        }
    }

    /// <summary>The loader columns: Label (Single) and Pixels (Vector&lt;Single, 784&gt; from columns 1..784).</summary>
    public static IDataView Load(MLContext ml, string path) => ml.Data.LoadFromTextFile(path,
        [new TextLoader.Column("Label", DataKind.Single, 0), new TextLoader.Column("Pixels", DataKind.Single, 1, 784)],
        separatorChar: ',', hasHeader: false);
}
