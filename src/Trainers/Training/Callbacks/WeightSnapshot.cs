using DlBook.Engine.Layers;

namespace DlBook.Trainers.Training.Callbacks;

/// <summary>A copy of every parameter (running statistics included), reused across epochs.</summary>
internal sealed class WeightSnapshot
{
    private float[][]? _values;

    public void Capture(IReadOnlyList<Parameter> parameters)
    {
        _values ??= parameters.Select(p => new float[p.Value.Length]).ToArray();
        for (int i = 0; i < parameters.Count; i++) parameters[i].Value.Span.CopyTo(_values[i]);
    }

    public bool HasValue => _values is not null;

    public void Write(BinaryWriter w)
    {
        w.Write(_values is not null);
        if (_values is null) return;
        w.Write(_values.Length);
        foreach (var v in _values)
        {
            w.Write(v.Length);
            w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
        }
    }

    public void Read(BinaryReader r, IReadOnlyList<Parameter> parameters)
    {
        if (!r.ReadBoolean()) { _values = null; return; }
        int count = r.ReadInt32();
        if (count != parameters.Count) throw new InvalidDataException($"The saved best weights hold {count} parameters; the network has {parameters.Count}.");
        _values = new float[count][];
        for (int i = 0; i < count; i++)
        {
            int n = r.ReadInt32();
            if (n != parameters[i].Value.Length)
                throw new InvalidDataException($"The saved best weights of parameter '{parameters[i].Name}' hold {n} values; it has {parameters[i].Value.Length}.");
            _values[i] = new float[n];
            r.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_values[i].AsSpan()));
        }
    }

    public void Restore(IReadOnlyList<Parameter> parameters)
    {
        if (_values is null) return;
        for (int i = 0; i < parameters.Count; i++) _values[i].AsSpan().CopyTo(parameters[i].Value.Span);
    }
}
