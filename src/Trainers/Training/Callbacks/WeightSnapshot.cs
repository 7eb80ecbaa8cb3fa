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

    public void Restore(IReadOnlyList<Parameter> parameters)
    {
        if (_values is null) return;
        for (int i = 0; i < parameters.Count; i++) _values[i].AsSpan().CopyTo(parameters[i].Value.Span);
    }
}
