using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.MlNet;

/// <summary>
/// What ML.NET's <c>PredictionEngine</c> needs of a transformer that adds columns computed from one input column:
/// the input columns pass through, every added column depends on <see cref="SourceColumn"/>, and a mapped row is made
/// per input row with the active columns marked. The network's prediction columns and the image decoder's pixels both
/// map rows this way.
/// </summary>
public abstract class ColumnAddingRowMapper : IRowToRowMapper
{
    /// <summary>A mapper from <paramref name="inputSchema"/> to <paramref name="outputSchema"/> (the input's columns first, then the added ones).</summary>
    protected ColumnAddingRowMapper(DataViewSchema inputSchema, DataViewSchema outputSchema, int sourceColumn)
    {
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        SourceColumn = sourceColumn;
    }

    /// <inheritdoc />
    public DataViewSchema InputSchema { get; }

    /// <inheritdoc />
    public DataViewSchema OutputSchema { get; }

    /// <summary>The input column every added column is computed from.</summary>
    protected int SourceColumn { get; }

    /// <inheritdoc />
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var result = new HashSet<int>();
        foreach (var c in dependingColumns)
            result.Add(c.Index < InputSchema.Count ? c.Index : SourceColumn);
        return result.Order().Select(i => InputSchema[i]).ToArray();
    }

    /// <inheritdoc />
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var active = new bool[OutputSchema.Count];
        foreach (var c in activeColumns) active[c.Index] = true;
        return MapRow(input, active);
    }

    /// <summary>The mapped row over <paramref name="input"/>; <paramref name="active"/> marks the output columns asked for.</summary>
    protected abstract DataViewRow MapRow(DataViewRow input, bool[] active);
}
