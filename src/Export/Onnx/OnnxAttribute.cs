using DlBook.Export.Onnx.Proto;
using Google.Protobuf;

namespace DlBook.Export.Onnx;

/// <summary>A node attribute (int, float, int list, string or string list) as a mapping writes it.</summary>
public sealed class OnnxAttribute
{
    private readonly string _name;
    private readonly long? _int;
    private readonly float? _float;
    private readonly long[]? _ints;
    private readonly string? _string;
    private readonly string[]? _strings;

    private OnnxAttribute(string name, long? i, float? f, long[]? ints, string? s = null, string[]? strings = null)
    {
        _name = name;
        _int = i;
        _float = f;
        _ints = ints;
        _string = s;
        _strings = strings;
    }

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, value, null, null);

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, null, value, null);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, null, null, values);

    /// <summary>A STRING attribute (UTF-8), e.g. the direction of a recurrent operator.</summary>
    public static OnnxAttribute String(string name, string value) => new(name, null, null, null, value);

    /// <summary>A STRINGS attribute (UTF-8), e.g. the activations of a recurrent operator.</summary>
    public static OnnxAttribute Strings(string name, params string[] values) => new(name, null, null, null, null, values);

    internal AttributeProto ToProto()
    {
        var a = new AttributeProto { Name = _name };
        if (_int is long i) { a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; }
        else if (_float is float f) { a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; }
        else if (_string is string s) { a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); }
        else if (_strings is string[] ss)
        {
            a.Type = AttributeProto.Types.AttributeType.Strings;
            foreach (var v in ss) a.Strings.Add(ByteString.CopyFromUtf8(v));
        }
        else { a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(_ints!); }
        return a;
    }
}
