using DlBook.Pipelines.Bridge;
using DlBook.Engine.Activations;
using DlBook.Engine.Networks;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Schema;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Trainers.Networks;

/// <summary>
/// Scores the current row of an input row (or cursor) once per position and serves the prediction columns' getters.
/// Holds an inference copy of the network for its lifetime, so rows of different cursors never share buffers.
/// </summary>
internal sealed class RowPredictor : IDisposable
{
    private readonly NetworkTransformer _transformer;
    private readonly DataViewRow _input;
    private readonly int _firstOutput;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly Tensor _x;
    private readonly float[] _outputs;
    private Sequential? _network;
    private VBuffer<float> _buffer;
    private long _scored = -1;
    private float _logit;

    public RowPredictor(NetworkTransformer transformer, DataViewRow input, int feature, int firstOutput)
    {
        _transformer = transformer;
        _input = input;
        _firstOutput = firstOutput;
        _features = !input.IsColumnActive(input.Schema[feature])
            ? (ref VBuffer<float> _) => throw new InvalidOperationException($"The feature column '{transformer.FeatureColumnName}' was not made active.")
            : transformer.SequenceLength is int length ? TokenSequences.Getter(input, input.Schema[feature], length)
            : input.GetGetter<VBuffer<float>>(input.Schema[feature]);
        _x = new Tensor([1, .. transformer.Model.InputShape]);
        _outputs = new float[transformer.Model.OutputSize];
    }

    public ValueGetter<TValue> Getter<TValue>(DataViewSchema.Column column)
    {
        var name = _transformer.Outputs.Names[column.Index - _firstOutput];
        var kind = _transformer.Outputs.Kind;
        Delegate getter = (kind, name) switch
        {
            (PredictionKind.MulticlassClassification, ScoreColumns.Score) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
            {
                Score();
                var editor = VBufferEditor.Create(ref v, _outputs.Length);
                _outputs.CopyTo(editor.Values);
                v = editor.Commit();
            }),
            (PredictionKind.MulticlassClassification, ScoreColumns.PredictedLabel) => (ValueGetter<uint>)((ref uint v) =>
            {
                Score();
                v = (uint)ArgMax(_outputs) + 1;
            }),
            (PredictionKind.BinaryClassification, ScoreColumns.Score) => (ValueGetter<float>)((ref float v) => { Score(); v = _logit; }),
            (PredictionKind.BinaryClassification, ScoreColumns.Probability) => (ValueGetter<float>)((ref float v) => { Score(); v = _outputs[0]; }),
            (PredictionKind.BinaryClassification, ScoreColumns.PredictedLabel) => (ValueGetter<bool>)((ref bool v) => { Score(); v = _outputs[0] > 0.5f; }),
            _ => (ValueGetter<float>)((ref float v) => { Score(); v = _outputs[0]; }),
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    private void Score()
    {
        if (_scored == _input.Position) return;
        _features(ref _buffer);
        var x = _x.Span;
        if (_buffer.IsDense) _buffer.GetValues().CopyTo(x);
        else
        {
            x.Clear();
            var values = _buffer.GetValues();
            var indices = _buffer.GetIndices();
            for (int i = 0; i < indices.Length; i++) x[indices[i]] = values[i];
        }
        _network ??= _transformer.Model.Rent();
        var logits = _network.Forward(_x, training: false);
        _logit = logits.Span[0];
        ActivationFunctions.Forward(_network.OutputActivation, logits.Span, _outputs, _outputs.Length);
        _scored = _input.Position;
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    public void Dispose()
    {
        if (_network is { } n) _transformer.Model.Return(n);
        _network = null;
    }
}
