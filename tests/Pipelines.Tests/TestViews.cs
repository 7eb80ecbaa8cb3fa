using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Tests;

/// <summary>Reads a column of an ML.NET data view into floats (scalars, or vectors row after row).</summary>
internal static class TestViews
{
    public static float[] Floats(IDataView view, string column)
    {
        var col = view.Schema[column];
        var result = new List<float>();
        using var cursor = view.GetRowCursor([col]);
        if (col.Type is VectorDataViewType)
        {
            var get = cursor.GetGetter<VBuffer<float>>(col);
            VBuffer<float> v = default;
            while (cursor.MoveNext()) { get(ref v); result.AddRange(v.DenseValues()); }
        }
        else
        {
            var get = cursor.GetGetter<float>(col);
            float v = 0;
            while (cursor.MoveNext()) { get(ref v); result.Add(v); }
        }
        return result.ToArray();
    }
}
