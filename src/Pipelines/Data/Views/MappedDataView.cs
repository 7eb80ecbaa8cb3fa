namespace DlBook.Pipelines.Data.Views;

/// <summary>
/// The base of transform views: wraps a source view and maps its batches lazily. Subclasses say which
/// columns they produce and which source columns those need; a request that names none of the produced
/// columns passes straight through without computing them.
/// </summary>
public abstract class MappedDataView : IDataView
{
    private readonly string[] _produced;
    private readonly string[] _inputs;

    /// <summary>Creates the view.</summary>
    /// <param name="source">The wrapped view.</param>
    /// <param name="schema">The output schema (source columns plus produced ones).</param>
    /// <param name="producedColumns">Columns this view computes (added or replacing source columns).</param>
    /// <param name="inputColumns">Source columns the computation reads.</param>
    protected MappedDataView(IDataView source, DataSchema schema, IReadOnlyList<string> producedColumns, IReadOnlyList<string> inputColumns)
    {
        Source = source;
        Schema = schema;
        _produced = producedColumns.ToArray();
        _inputs = inputColumns.ToArray();
        foreach (var c in _inputs) _ = source.Schema[c];
    }

    /// <summary>The wrapped view.</summary>
    public IDataView Source { get; }

    /// <inheritdoc />
    public DataSchema Schema { get; }

    /// <inheritdoc />
    public virtual long? RowCount => Source.RowCount;

    /// <summary>Computes the produced columns for one source batch (which holds at least the input columns).</summary>
    protected abstract IReadOnlyDictionary<string, ColumnData> Map(DataBatch input);

    /// <inheritdoc />
    public IEnumerable<DataBatch> GetBatches(BatchOptions options)
    {
        ViewHelpers.Validate(options);
        var wanted = ViewHelpers.ResolveColumns(Schema, options.Columns);
        bool compute = wanted.Any(w => _produced.Contains(w));
        var fromSource = wanted.Where(w => !_produced.Contains(w)).ToList();
        if (compute) fromSource.AddRange(_inputs);
        var sourceOptions = options with { Columns = fromSource.Distinct().ToArray() };
        return Iterate(sourceOptions, wanted, compute);
    }

    private IEnumerable<DataBatch> Iterate(BatchOptions sourceOptions, string[] wanted, bool compute)
    {
        foreach (var batch in Source.GetBatches(sourceOptions))
        {
            var produced = compute ? Map(batch) : null;
            var columns = new Dictionary<string, ColumnData>(wanted.Length);
            foreach (var w in wanted)
                columns[w] = produced is not null && produced.TryGetValue(w, out var p) ? p : batch.Columns[w];
            yield return new DataBatch(batch.RowCount, columns, batch.FirstRow);
        }
    }
}
