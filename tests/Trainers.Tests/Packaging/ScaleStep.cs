using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Tests.Packaging;

/// <summary>A tiny persistable step for package tests that do not need a trained network.</summary>
internal sealed class ScaleStep(string column, float[] scale) : IPersistableTransformer
{
    public const string KindName = "Test.Scale";

    static ScaleStep() => TransformerRegistry.Register(KindName,
        c => new ScaleStep(c.Settings["column"]!.GetValue<string>(), c.Tensor("scale").Values));

    public static void EnsureRegistered() { }

    public string Column => column;
    public float[] Scale => scale;
    public string Kind => KindName;
    public bool FailOnSave { get; init; }

    public void Save(TransformerSaveContext context)
    {
        context.Settings["column"] = column;
        if (FailOnSave) throw new IOException("disk on fire");
        context.Tensors["scale"] = (scale, [scale.Length]);
    }

    public DataSchema GetOutputSchema(DataSchema inputSchema) => inputSchema;
    public IDataView Transform(IDataView input) => input;
}
