using System.Text.Json.Nodes;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Tests;

/// <summary>Helpers: read whole columns out of a view, and push a transformer through save → JSON → load.</summary>
internal static class TestViews
{
    public static float[] Floats(IDataView view, string column, BatchOptions? options = null)
    {
        var result = new List<float>();
        foreach (var b in view.GetBatches((options ?? new BatchOptions()) with { Columns = [column] }))
        {
            var f = b.Get<FloatColumnData>(column);
            result.AddRange(f.Values.AsSpan(0, f.RowCount * f.RowSize));
        }
        return result.ToArray();
    }

    public static uint[] Keys(IDataView view, string column)
    {
        var result = new List<uint>();
        foreach (var b in view.GetBatches(new BatchOptions { Columns = [column] }))
            result.AddRange(b.Get<KeyColumnData>(column).Keys.AsSpan(0, b.RowCount));
        return result.ToArray();
    }

    public static string[] Texts(IDataView view, string column)
    {
        var result = new List<string>();
        foreach (var b in view.GetBatches(new BatchOptions { Columns = [column] }))
            result.AddRange(b.Get<TextColumnData>(column).Values);
        return result.ToArray();
    }

    public static ITransformer RoundTrip(IPersistableTransformer transformer)
    {
        var save = new TransformerSaveContext();
        transformer.Save(save);
        var settings = (JsonObject)JsonNode.Parse(save.Settings.ToJsonString())!;
        var tensors = save.Tensors.ToDictionary(kv => kv.Key, kv => ((float[])kv.Value.Values.Clone(), kv.Value.Shape));
        return TransformerRegistry.Load(new TransformerLoadContext(new DlContext(1), transformer.Kind, settings, tensors, "test.dlbook step 0"));
    }
}
