using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Schema;

/// <summary>
/// A label key's values (its <c>KeyValues</c> annotation: class names, or the digits of MNIST) in a form that can be
/// saved and put back with the same type and bits: the item type's name and each value as invariant text.
/// </summary>
public sealed record LabelValues(string ItemType, IReadOnlyList<string> Values)
{
    private static readonly Dictionary<string, DataViewType> Types = new()
    {
        ["String"] = TextDataViewType.Instance,
        ["Single"] = NumberDataViewType.Single,
        ["Double"] = NumberDataViewType.Double,
        ["Int32"] = NumberDataViewType.Int32,
        ["UInt32"] = NumberDataViewType.UInt32,
        ["Int64"] = NumberDataViewType.Int64,
        ["UInt64"] = NumberDataViewType.UInt64,
        ["Int16"] = NumberDataViewType.Int16,
        ["UInt16"] = NumberDataViewType.UInt16,
        ["Byte"] = NumberDataViewType.Byte,
        ["SByte"] = NumberDataViewType.SByte,
        ["Boolean"] = BooleanDataViewType.Instance,
    };

    /// <summary>One placeholder value of <paramref name="itemType"/> (for an estimator's output shape, where only types count), or null for a type not kept.</summary>
    public static LabelValues? Placeholder(DataViewType itemType)
    {
        var name = Types.FirstOrDefault(p => p.Value.Equals(itemType)).Key;
        return name switch { null => null, "String" => new(name, [""]), "Boolean" => new(name, ["false"]), _ => new(name, ["0"]) };
    }

    /// <summary>The values as display names ("0".."9", "cat", "dog").</summary>
    public IReadOnlyList<string> Names => Values;

    /// <summary>The ML.NET item type of the values.</summary>
    public DataViewType Type => Types.TryGetValue(ItemType, out var t) ? t
        : throw new InvalidDataException($"Label values of type '{ItemType}' are not supported; the model file may come from a newer DlBook.");

    /// <summary>Reads the <c>KeyValues</c> annotation of a key column, or null when it has none (or of a type not kept).</summary>
    public static LabelValues? FromColumn(DataViewSchema.Column column)
    {
        var kv = column.Annotations.Schema.GetColumnOrNull(AnnotationKinds.KeyValues);
        if (kv is not { Type: VectorDataViewType v }) return null;
        var name = Types.FirstOrDefault(p => p.Value.Equals(v.ItemType)).Key;
        if (name is null) return null;
        return name switch
        {
            "String" => Read<ReadOnlyMemory<char>>(column, name, x => x.ToString()),
            "Single" => Read<float>(column, name, x => x.ToString("R", CultureInfo.InvariantCulture)),
            "Double" => Read<double>(column, name, x => x.ToString("R", CultureInfo.InvariantCulture)),
            "Int32" => Read<int>(column, name, x => x.ToString(CultureInfo.InvariantCulture)),
            "UInt32" => Read<uint>(column, name, x => x.ToString(CultureInfo.InvariantCulture)),
            "Int64" => Read<long>(column, name, x => x.ToString(CultureInfo.InvariantCulture)),
            "UInt64" => Read<ulong>(column, name, x => x.ToString(CultureInfo.InvariantCulture)),
            "Int16" => Read<short>(column, name, x => x.ToString(CultureInfo.InvariantCulture)),
            "UInt16" => Read<ushort>(column, name, x => x.ToString(CultureInfo.InvariantCulture)),
            "Byte" => Read<byte>(column, name, x => x.ToString(CultureInfo.InvariantCulture)),
            "SByte" => Read<sbyte>(column, name, x => x.ToString(CultureInfo.InvariantCulture)),
            _ => Read<bool>(column, name, x => x ? "true" : "false"),
        };
    }

    /// <summary>Adds the values as annotation <paramref name="kind"/> (KeyValues, TrainingLabelValues).</summary>
    public void AddTo(DataViewSchema.Annotations.Builder builder, string kind)
    {
        switch (ItemType)
        {
            case "String": Add<ReadOnlyMemory<char>>(builder, kind, s => s.AsMemory()); break;
            case "Single": Add(builder, kind, s => float.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Double": Add(builder, kind, s => double.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Int32": Add(builder, kind, s => int.Parse(s, CultureInfo.InvariantCulture)); break;
            case "UInt32": Add(builder, kind, s => uint.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Int64": Add(builder, kind, s => long.Parse(s, CultureInfo.InvariantCulture)); break;
            case "UInt64": Add(builder, kind, s => ulong.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Int16": Add(builder, kind, s => short.Parse(s, CultureInfo.InvariantCulture)); break;
            case "UInt16": Add(builder, kind, s => ushort.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Byte": Add(builder, kind, s => byte.Parse(s, CultureInfo.InvariantCulture)); break;
            case "SByte": Add(builder, kind, s => sbyte.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Boolean": Add(builder, kind, s => s == "true"); break;
            default: _ = Type; break;
        }
    }

    /// <summary>The values as a text vector (for SlotNames).</summary>
    public void AddNamesTo(DataViewSchema.Annotations.Builder builder, string kind) => Add<ReadOnlyMemory<char>>(builder, kind, s => s.AsMemory());

    private void Add<T>(DataViewSchema.Annotations.Builder builder, string kind, Func<string, T> parse)
    {
        var values = Values.Select(parse).ToArray();
        var type = kind == AnnotationKinds.SlotNames ? (DataViewType)TextDataViewType.Instance : Type;
        builder.Add(kind, new VectorDataViewType((PrimitiveDataViewType)type, values.Length),
            (ref VBuffer<T> v) => v = new VBuffer<T>(values.Length, (T[])values.Clone()));
    }

    private static LabelValues Read<T>(DataViewSchema.Column column, string name, Func<T, string> format)
    {
        VBuffer<T> buffer = default;
        column.Annotations.GetValue(AnnotationKinds.KeyValues, ref buffer);
        var dense = new T[buffer.Length];
        buffer.CopyTo(dense);
        return new LabelValues(name, dense.Select(format).ToArray());
    }
}
