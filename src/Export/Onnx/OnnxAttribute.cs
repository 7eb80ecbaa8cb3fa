using DlBook.Export.Onnx.Proto;

namespace DlBook.Export.Onnx;

/// <summary>A node attribute (int, float or int list) as a mapping writes it.</summary>
public sealed class OnnxAttribute
{
    private readonly string _name;
    private readonly long? _int;
    private readonly float? _float;
    private readonly long[]? _ints;

    private OnnxAttribute(string name, long? i, float? f, long[]? ints)
    {
        _name = name;
        _int = i;
        _float = f;
        _ints = ints;
    }

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, value, null, null);

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, null, value, null);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, null, null, values);

    internal AttributeProto ToProto()
    {
        var a = new AttributeProto { Name = _name };
        if (_int is long i) { a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; }
        else if (_float is float f) { a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; }
        else { a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(_ints!); }
        return a;
    }
}
