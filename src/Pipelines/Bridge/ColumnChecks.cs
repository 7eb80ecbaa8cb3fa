using DlBook.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Bridge;

/// <summary>
/// The schema rules of the bridge, with messages that name the column, its type and the transform that fixes it.
/// Checked on a fitted schema (<see cref="DataViewSchema"/>) and on an estimator's <see cref="SchemaShape"/>.
/// </summary>
public static class ColumnChecks
{
    /// <summary>The feature column: its per-row shape. Throws <see cref="SchemaException"/> naming what to do.</summary>
    public static int[] Feature(DataViewSchema schema, BridgeColumns c)
    {
        var col = Find(schema, c.Feature, c.Reader, "feature", "Set FeatureColumnName, or build the column with mlContext.Transforms.Concatenate(\"Features\", …).");
        if (c.SequenceLength is int length)
        {
            if (!TokenSequences.CanRead(col.Type))
                throw new SchemaException($"{c.Reader} reads feature column '{c.Feature}' as token ids (a vector of keys or Single), but it is {Describe(col.Type)}. " +
                    $"Build it with mlContext.Transforms.Text.TokenizeIntoWords(\"{c.Feature}\", …) followed by mlContext.Transforms.Conversion.MapValueToKey(\"{c.Feature}\").");
            return [length];
        }
        if (col.Type is not VectorDataViewType { ItemType: NumberDataViewType } v || v.ItemType != NumberDataViewType.Single)
            throw new SchemaException($"{c.Reader} reads feature column '{c.Feature}' as a vector of Single, but it is {Describe(col.Type)}. " +
                (col.Type is VectorDataViewType ? "Convert it with mlContext.Transforms.Conversion.ConvertType(\"" + c.Feature + "\", outputKind: DataKind.Single)." :
                 $"Build a vector with mlContext.Transforms.Concatenate(\"{c.Feature}\", …)."));
        if (!v.IsKnownSize)
            throw new SchemaException($"{c.Reader} needs feature column '{c.Feature}' to have a known size, but it is {Describe(col.Type)} (variable length). " +
                "Give the loader a fixed size (LoadColumn with VectorType(n)), or resize the vectors (e.g. ResizeImages before ExtractPixels).");
        return v.Dimensions.Length > 0 ? v.Dimensions.ToArray() : [v.Size];
    }

    /// <summary>The label column; returns the class count for keys (0 for other kinds).</summary>
    public static int Label(DataViewSchema schema, BridgeColumns c)
    {
        if (c.Kind == LabelKind.None || c.Label is null) return 0;
        var col = Find(schema, c.Label, c.Reader, "label", "Set LabelColumnName.");
        return CheckLabelType(col.Type, c);
    }

    /// <summary>The same rules on an estimator's input shape (before anything is fitted).</summary>
    public static void Shape(SchemaShape shape, BridgeColumns c)
    {
        if (Find(shape, c.Feature) is not { } f)
            throw new SchemaException($"{c.Reader} reads feature column '{c.Feature}', which the data does not have. Available: {string.Join(", ", shape.Select(x => x.Name))}. " +
                $"Set FeatureColumnName, or build the column with mlContext.Transforms.Concatenate(\"{c.Feature}\", …).");
        if (c.SequenceLength is not null)
        {
            if (f.Kind == SchemaShape.Column.VectorKind.Scalar || !(f.IsKey || f.ItemType == NumberDataViewType.Single))
                throw new SchemaException($"{c.Reader} reads feature column '{c.Feature}' as token ids (a vector of keys or Single), but it is {f.Kind} of {f.ItemType}. " +
                    $"Use TokenizeIntoWords then MapValueToKey on '{c.Feature}'.");
        }
        else if (f.Kind != SchemaShape.Column.VectorKind.Vector || f.ItemType != NumberDataViewType.Single)
            throw new SchemaException($"{c.Reader} reads feature column '{c.Feature}' as a known-size vector of Single, but it is {f.Kind} of {f.ItemType}. " +
                $"Use mlContext.Transforms.Concatenate(\"{c.Feature}\", …) or ConvertType.");
        if (c.Kind == LabelKind.None || c.Label is null) return;
        if (Find(shape, c.Label) is not { } l)
            throw new SchemaException($"{c.Reader} reads label column '{c.Label}', which the data does not have. Available: {string.Join(", ", shape.Select(x => x.Name))}. Set LabelColumnName.");
        bool ok = c.Kind switch
        {
            LabelKind.Key => l.IsKey,
            LabelKind.Binary => l.IsKey || l.ItemType == BooleanDataViewType.Instance || l.ItemType == NumberDataViewType.Single,
            LabelKind.Single => !l.IsKey && l.ItemType == NumberDataViewType.Single,
            _ => true,
        };
        if (!ok || l.Kind != SchemaShape.Column.VectorKind.Scalar) throw WrongLabel(c, $"{(l.IsKey ? "a key" : l.ItemType.ToString())} {l.Kind}");
    }

    private static SchemaShape.Column? Find(SchemaShape shape, string name)
    {
        foreach (var col in shape) if (col.Name == name) return col;
        return null;
    }

    internal static int CheckLabelType(DataViewType type, BridgeColumns c)
    {
        switch (c.Kind)
        {
            case LabelKind.Key when type is KeyDataViewType k:
                if (k.Count < 2 || k.Count > int.MaxValue)
                    throw new SchemaException($"{c.Reader} needs label column '{c.Label}' to have at least 2 classes, but its key type has {k.Count}. Fit MapValueToKey on data that holds every class.");
                return (int)k.Count;
            case LabelKind.Binary when type is KeyDataViewType k:
                if (k.Count != 2)
                    throw new SchemaException($"{c.Reader} (binary) needs label column '{c.Label}' to have two values, but its key type has {k.Count}. Use the multiclass trainer, or a Boolean label.");
                return 2;
            case LabelKind.Binary when type == BooleanDataViewType.Instance || type == NumberDataViewType.Single:
            case LabelKind.Single when type == NumberDataViewType.Single:
                return 0;
            default:
                throw WrongLabel(c, Describe(type));
        }
    }

    private static SchemaException WrongLabel(BridgeColumns c, string got) => new(c.Kind switch
    {
        LabelKind.Key => $"{c.Reader} (multiclass) reads label column '{c.Label}' as a key, but it is {got}. Add mlContext.Transforms.Conversion.MapValueToKey(\"{c.Label}\") before the trainer.",
        LabelKind.Binary => $"{c.Reader} (binary) reads label column '{c.Label}' as a Boolean (or a two-valued key, or a 0/1 Single), but it is {got}. " +
            $"Convert it, e.g. with mlContext.Transforms.Conversion.ConvertType(\"{c.Label}\", outputKind: DataKind.Boolean), or use the multiclass trainer.",
        _ => $"{c.Reader} (regression) reads label column '{c.Label}' as a Single, but it is {got}. Convert it with mlContext.Transforms.Conversion.ConvertType(\"{c.Label}\", outputKind: DataKind.Single).",
    });

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string reader, string role, string remedy) =>
        schema.GetColumnOrNull(name) ?? throw new SchemaException(
            $"{reader} reads {role} column '{name}', which the data does not have. Available: {string.Join(", ", schema.Where(x => !x.IsHidden).Select(x => $"{x.Name} ({Describe(x.Type)})"))}. {remedy}");

    /// <summary>An ML.NET type as a user reads it: "Vector&lt;Single, 784&gt;", "Key&lt;UInt32, 10&gt;", "String".</summary>
    public static string Describe(DataViewType type) => type switch
    {
        VectorDataViewType v => v.IsKnownSize ? $"Vector<{Describe(v.ItemType)}, {string.Join(", ", v.Dimensions.ToArray())}>" : $"Vector<{Describe(v.ItemType)}>",
        KeyDataViewType k => $"Key<{k.RawType.Name}, {k.Count}>",
        _ => type.RawType == typeof(ReadOnlyMemory<char>) ? "String" : type.RawType.Name,
    };
}
