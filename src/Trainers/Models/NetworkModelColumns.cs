using DlBook.Pipelines.Data;
using DlBook.Trainers.Mlp;

namespace DlBook.Trainers.Models;

/// <summary>The columns a network model reads and writes, per task, and the schema rules that go with them.</summary>
internal sealed record NetworkModelColumns(string Task, string Feature, int[] InputShape, string Score, string? PredictedLabel,
    int Outputs, IReadOnlyList<string>? LabelNames)
{
    public IReadOnlyList<string> Produced => PredictedLabel is null ? [Score] : [Score, PredictedLabel];

    public int InputSize => InputShape.Aggregate(1, (a, b) => a * b);

    /// <summary>Floats per row of the Score column: the class probabilities, or one value.</summary>
    public int ScoreSize => Task == MlpTasks.Multiclass ? Outputs : 1;

    public DataSchema OutputSchema(DataSchema input)
    {
        var col = input.GetColumnOrNull(Feature)
            ?? throw new SchemaException($"The model reads feature column '{Feature}', which the data does not have. Available: {string.Join(", ", input.Select(c => c.Name))}.");
        if (col.Type is not VectorType v || v.Size != InputSize)
            throw new SchemaException($"Feature column '{Feature}' is {col.Type.Describe()}; the model expects Vector<Single>[{string.Join(",", InputShape)}].");
        var schema = input.With(new DataColumn(Score, Task == MlpTasks.Multiclass ? new VectorType([Outputs]) : ScalarType.Instance));
        if (PredictedLabel is not null)
            schema = schema.With(new DataColumn(PredictedLabel, new KeyType(Task == MlpTasks.Multiclass ? Outputs : 2, LabelNames)));
        return schema;
    }

    public uint[] PredictKeys(float[] scores, int rows)
    {
        var keys = new uint[rows];
        if (Task == MlpTasks.Multiclass)
        {
            for (int r = 0; r < rows; r++)
            {
                var row = scores.AsSpan(r * Outputs, Outputs);
                int best = 0;
                for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
                keys[r] = (uint)best;
            }
        }
        else
        {
            for (int r = 0; r < rows; r++) keys[r] = scores[r] > 0.5f ? 1u : 0u;
        }
        return keys;
    }
}
