using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>
/// Per-parameter optimiser state (velocity, moments, step count), allocated on the first step that
/// sees a parameter and reused after, so a step allocates nothing.
/// </summary>
internal sealed class OptimizerSlots(int buffers)
{
    private readonly Dictionary<Parameter, Slot> _slots = new(ReferenceEqualityComparer.Instance);

    internal sealed class Slot(int length, int buffers)
    {
        public readonly float[] A = buffers > 0 ? new float[length] : [];
        public readonly float[] B = buffers > 1 ? new float[length] : [];
        public int Step;
    }

    /// <summary>Writes every parameter's slot (or its absence) in the order given.</summary>
    public void Write(BinaryWriter w, IReadOnlyList<Parameter> parameters)
    {
        w.Write(buffers);
        w.Write(parameters.Count);
        foreach (var p in parameters)
        {
            bool has = _slots.TryGetValue(p, out var slot);
            w.Write(has);
            if (!has) continue;
            w.Write(slot!.Step);
            w.Write(p.Value.Length);
            WriteFloats(w, slot.A);
            WriteFloats(w, slot.B);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote, for the same parameters.</summary>
    public void Read(BinaryReader r, IReadOnlyList<Parameter> parameters)
    {
        int savedBuffers = r.ReadInt32(), count = r.ReadInt32();
        if (savedBuffers != buffers || count != parameters.Count)
            throw new InvalidDataException($"The saved optimiser state has {count} parameters with {savedBuffers} buffers each; this optimiser has {parameters.Count} with {buffers}.");
        _slots.Clear();
        foreach (var p in parameters)
        {
            if (!r.ReadBoolean()) continue;
            int step = r.ReadInt32(), length = r.ReadInt32();
            if (length != p.Value.Length)
                throw new InvalidDataException($"The saved optimiser state of parameter '{p.Name}' has {length} values; the parameter has {p.Value.Length}.");
            var slot = new Slot(length, buffers) { Step = step };
            ReadFloats(r, slot.A);
            ReadFloats(r, slot.B);
            _slots.Add(p, slot);
        }
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void ReadFloats(BinaryReader r, float[] into)
    {
        int n = r.ReadInt32();
        if (n != into.Length) throw new InvalidDataException($"A saved optimiser buffer has {n} values where {into.Length} were expected.");
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(into.AsSpan());
        r.BaseStream.ReadExactly(bytes);
    }

    public Slot For(Parameter p)
    {
        if (!_slots.TryGetValue(p, out var slot))
        {
            slot = new Slot(p.Value.Length, buffers);
            _slots.Add(p, slot);
        }
        else if (slot.A.Length != 0 && slot.A.Length != p.Value.Length)
            throw new InvalidOperationException(
                $"Parameter '{p.Name}' changed size from {slot.A.Length} to {p.Value.Length} between optimiser steps; create a new optimiser.");
        return slot;
    }
}
