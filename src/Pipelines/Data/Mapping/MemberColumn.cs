using System.Globalization;
using System.Reflection;

namespace DlBook.Pipelines.Data.Mapping;

/// <summary>One public field or property of a row class and the column it maps to.</summary>
internal sealed class MemberColumn
{
    private readonly MemberInfo _member;

    public MemberColumn(MemberInfo member)
    {
        _member = member;
        MemberType = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
        ColumnName = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
        Load = member.GetCustomAttribute<LoadColumnAttribute>();
        Vector = member.GetCustomAttribute<VectorTypeAttribute>();
        Key = member.GetCustomAttribute<KeyTypeAttribute>();
        CanWrite = member is PropertyInfo pi ? pi.SetMethod?.IsPublic == true : !((FieldInfo)member).IsInitOnly;
        CanRead = member is not PropertyInfo pr || pr.GetMethod?.IsPublic == true;
    }

    public string MemberName => _member.Name;
    public string ColumnName { get; }
    public Type MemberType { get; }
    public LoadColumnAttribute? Load { get; }
    public VectorTypeAttribute? Vector { get; }
    public KeyTypeAttribute? Key { get; }
    public bool CanWrite { get; }
    public bool CanRead { get; }
    public string Describe(Type owner) => $"{owner.Name}.{MemberName}";

    public object? GetValue(object row) => _member is PropertyInfo p ? p.GetValue(row) : ((FieldInfo)_member).GetValue(row);
    public void SetValue(object row, object? value)
    {
        if (_member is PropertyInfo p) p.SetValue(row, value); else ((FieldInfo)_member).SetValue(row, value);
    }

    /// <summary>The column type a value of this member produces (for LoadFromEnumerable); throws naming the member when unsupported.</summary>
    public ColumnType ColumnTypeFor(Type owner)
    {
        var t = MemberType;
        if (Key is not null)
        {
            if (t != typeof(uint))
                throw new SchemaException($"{Describe(owner)} has [KeyType] but is {t.Name}; key members must be uint (0-based class index).");
            if (Key.Count < 1) throw new SchemaException($"{Describe(owner)}: [KeyType({Key.Count})] needs a positive class count.");
            return new KeyType(Key.Count, null);
        }
        if (t == typeof(string)) return TextType.Instance;
        if (IsScalar(t)) return ScalarType.Instance;
        if (t == typeof(float[]) || t == typeof(double[]))
        {
            if (Vector is null || Vector.Dimensions.Length == 0 || Vector.Dimensions.Any(d => d < 1))
                throw new SchemaException($"{Describe(owner)} is {t.Name} without a valid [VectorType(...)] size; add e.g. [VectorType(784)] so the column has a fixed shape.");
            return new VectorType(Vector.Dimensions);
        }
        throw new SchemaException($"{Describe(owner)} has type {t.Name}, which maps to no column type. Use float/double/int/bool (scalar), float[] with [VectorType] (vector), string (text) or uint with [KeyType] (key).");
    }

    public static bool IsScalar(Type t) =>
        t == typeof(float) || t == typeof(double) || t == typeof(int) || t == typeof(long) || t == typeof(bool)
        || t == typeof(short) || t == typeof(byte) || t == typeof(uint);

    /// <summary>A scalar member value as float.</summary>
    public static float ToFloat(object? value) => value switch
    {
        null => float.NaN,
        bool b => b ? 1f : 0f,
        float f => f,
        _ => Convert.ToSingle(value, CultureInfo.InvariantCulture),
    };

    /// <summary>A float as a value of a scalar member type.</summary>
    public static object FromFloat(float value, Type t) =>
        t == typeof(float) ? value
        : t == typeof(double) ? (double)value
        : t == typeof(bool) ? value != 0
        : Convert.ChangeType(Math.Round(value), t, CultureInfo.InvariantCulture);
}
