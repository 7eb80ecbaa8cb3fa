using DlBook.Pipelines.Data;
using DlBook.Pipelines.Evaluation;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class RegressionCatalog
{
    /// <summary>Evaluates scored data (ML.NET's Evaluate): label and score are Single scalars (or 1-element vectors).</summary>
    public RegressionMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score")
    {
        ArgumentNullException.ThrowIfNull(data);
        const string who = "Regression.Evaluate";
        foreach (var name in new[] { labelColumnName, scoreColumnName })
            if (data.Schema[name].Type is not (ScalarType or VectorType { Size: 1 }))
                throw new SchemaException($"{who}: column '{name}' is {data.Schema[name].Type.Describe()}; it must be a Single scalar.");
        var values = EvaluationColumns.Read(data, new[] { labelColumnName, scoreColumnName }.Distinct().ToArray());
        return RegressionMetrics.Compute(EvaluationColumns.Floats(values[labelColumnName], labelColumnName, who),
            EvaluationColumns.Floats(values[scoreColumnName], scoreColumnName, who));
    }
}
