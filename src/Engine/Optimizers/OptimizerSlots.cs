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
