using DlBook.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Schema;

/// <summary>
/// The columns a trained network adds, with the names, types and annotations ML.NET's own trainers of the task add,
/// so that ML.NET's evaluators, <c>MapKeyToValue</c>, <c>PredictionEngine</c>, cross-validation and permutation
/// feature importance read them unchanged: multiclass <c>Score</c> (Vector&lt;Single, K&gt; with SlotNames,
/// TrainingLabelValues, ScoreColumnKind, ScoreValueKind, ScoreColumnSetId) and <c>PredictedLabel</c> (Key&lt;UInt32, K&gt;
/// with the label's KeyValues); binary <c>Score</c>, <c>Probability</c>, <c>PredictedLabel</c> (Boolean); regression <c>Score</c>.
/// </summary>
public sealed record ScoreColumns(PredictionKind Kind, int Classes, LabelValues? Labels)
{
    /// <summary>The Score column.</summary>
    public const string Score = "Score";
    /// <summary>The Probability column (binary).</summary>
    public const string Probability = "Probability";
    /// <summary>The PredictedLabel column (classification).</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>The names of the columns added, in order.</summary>
    public IReadOnlyList<string> Names => Kind switch
    {
        PredictionKind.MulticlassClassification => [Score, PredictedLabel],
        PredictionKind.BinaryClassification => [Score, Probability, PredictedLabel],
        _ => [Score],
    };

    /// <summary>The ScoreColumnKind text of the task.</summary>
    public string KindName => Kind.ToString();

    /// <summary>The input schema with the added columns last (an input column of the same name is hidden, as ML.NET does).</summary>
    public DataViewSchema OutputSchema(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        uint setId = NextScoreSetId(input);
        foreach (var (name, type, annotations) in Columns(setId)) builder.AddColumn(name, type, annotations);
        return builder.ToSchema();
    }

    /// <summary>The added columns alone (for an estimator's SchemaShape).</summary>
    public DataViewSchema AddedColumns()
    {
        var builder = new DataViewSchema.Builder();
        foreach (var (name, type, annotations) in Columns(1)) builder.AddColumn(name, type, annotations);
        return builder.ToSchema();
    }

    private IEnumerable<(string, DataViewType, DataViewSchema.Annotations)> Columns(uint setId)
    {
        switch (Kind)
        {
            case PredictionKind.MulticlassClassification:
                var score = Common(setId, "Score");
                if (Labels is { } l)
                {
                    if (l.ItemType == "String") l.AddNamesTo(score, AnnotationKinds.SlotNames);
                    l.AddTo(score, AnnotationKinds.TrainingLabelValues);
                }
                yield return (Score, new VectorDataViewType(NumberDataViewType.Single, Classes), score.ToAnnotations());
                var predicted = Common(setId, "PredictedLabel");
                Labels?.AddTo(predicted, AnnotationKinds.KeyValues);
                yield return (PredictedLabel, new KeyDataViewType(typeof(uint), Classes), predicted.ToAnnotations());
                break;
            case PredictionKind.BinaryClassification:
                yield return (Score, NumberDataViewType.Single, Common(setId, "Score").ToAnnotations());
                var probability = Common(setId, "Probability");
                probability.Add(AnnotationKinds.IsNormalized, BooleanDataViewType.Instance, (ref bool v) => v = true);
                yield return (Probability, NumberDataViewType.Single, probability.ToAnnotations());
                yield return (PredictedLabel, BooleanDataViewType.Instance, Common(setId, "PredictedLabel").ToAnnotations());
                break;
            default:
                yield return (Score, NumberDataViewType.Single, Common(setId, "Score").ToAnnotations());
                break;
        }
    }

    private DataViewSchema.Annotations.Builder Common(uint setId, string valueKind)
    {
        var b = new DataViewSchema.Annotations.Builder();
        b.Add(AnnotationKinds.ScoreColumnSetId, new KeyDataViewType(typeof(uint), int.MaxValue), (ref uint v) => v = setId);
        string kind = KindName;
        b.Add(AnnotationKinds.ScoreColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = kind.AsMemory());
        b.Add(AnnotationKinds.ScoreValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = valueKind.AsMemory());
        return b;
    }

    private static uint NextScoreSetId(DataViewSchema schema)
    {
        uint max = 0;
        foreach (var col in schema)
        {
            if (col.Annotations.Schema.GetColumnOrNull(AnnotationKinds.ScoreColumnSetId) is not { Type: KeyDataViewType { RawType: var raw } } || raw != typeof(uint)) continue;
            uint id = 0;
            col.Annotations.GetValue(AnnotationKinds.ScoreColumnSetId, ref id);
            max = Math.Max(max, id);
        }
        return max + 1;
    }

    /// <summary>Checks that a network with <paramref name="outputs"/> outputs fits the task.</summary>
    public void CheckOutputs(int outputs)
    {
        int want = Kind == PredictionKind.MulticlassClassification ? Classes : 1;
        if (outputs != want)
            throw new SchemaException($"A {KindName} model needs {want} network output(s); this network has {outputs}.");
    }
}
