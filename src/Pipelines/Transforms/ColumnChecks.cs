using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Transforms;

/// <summary>Schema checks with messages that name the transform, the column and what it needs.</summary>
internal static class ColumnChecks
{
    /// <summary>The column, which must be a float scalar or vector; returns its elements per row.</summary>
    public static int FloatColumnSize(DataSchema schema, string column, string transform)
    {
        var c = schema[column];
        return c.Type switch
        {
            ScalarType => 1,
            VectorType v => v.Size,
            _ => throw new SchemaException($"{transform}: column '{column}' is {c.Type.Describe()}; it needs a Single scalar or vector. Convert it first (e.g. MapKeyToValue for keys)."),
        };
    }

    public static FloatColumnData Floats(DataBatch batch, string column) => batch.Get<FloatColumnData>(column);
}
