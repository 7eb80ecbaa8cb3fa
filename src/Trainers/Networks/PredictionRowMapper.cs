using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Trainers.Networks;

/// <summary>Row-to-row mapping of a <see cref="NetworkTransformer"/>, what ML.NET's PredictionEngine runs on.</summary>
internal sealed class PredictionRowMapper : IRowToRowMapper
{
    private readonly NetworkTransformer _transformer;
    private readonly int _feature;

    public PredictionRowMapper(NetworkTransformer transformer, DataViewSchema inputSchema)
    {
        _transformer = transformer;
        _feature = transformer.CheckInput(inputSchema);
        InputSchema = inputSchema;
        OutputSchema = transformer.Outputs.OutputSchema(inputSchema);
    }

    public DataViewSchema InputSchema { get; }
    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var result = new HashSet<int>();
        foreach (var c in dependingColumns)
            result.Add(c.Index < InputSchema.Count ? c.Index : _feature);
        return result.Order().Select(i => InputSchema[i]).ToArray();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var active = new bool[OutputSchema.Count];
        foreach (var c in activeColumns) active[c.Index] = true;
        return new MappedRow(_transformer, OutputSchema, input, _feature, active);
    }

    private sealed class MappedRow(NetworkTransformer transformer, DataViewSchema schema, DataViewRow input, int feature, bool[] active) : DataViewRow
    {
        private readonly RowPredictor _predictor = new(transformer, input, feature, input.Schema.Count);

        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override DataViewSchema Schema => schema;
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            column.Index < input.Schema.Count ? input.GetGetter<TValue>(input.Schema[column.Index]) : _predictor.Getter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing) _predictor.Dispose();
            base.Dispose(disposing);
        }
    }
}
