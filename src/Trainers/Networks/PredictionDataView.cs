using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Trainers.Networks;

/// <summary>The lazy output of <see cref="NetworkTransformer.Transform"/>: the input's columns and the prediction columns.</summary>
internal sealed class PredictionDataView(NetworkTransformer transformer, IDataView input) : IDataView
{
    private readonly int _feature = transformer.CheckInput(input.Schema);

    public DataViewSchema Schema { get; } = transformer.Outputs.OutputSchema(input.Schema);
    public bool CanShuffle => input.CanShuffle;
    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, active) = Split(columnsNeeded);
        return new PredictionCursor(transformer, Schema, input.GetRowCursor(inputColumns, rand), _feature, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var (inputColumns, active) = Split(columnsNeeded);
        return input.GetRowCursorSet(inputColumns, n, rand)
            .Select(c => (DataViewRowCursor)new PredictionCursor(transformer, Schema, c, _feature, active)).ToArray();
    }

    private (List<DataViewSchema.Column> Input, bool[] Active) Split(IEnumerable<DataViewSchema.Column> needed)
    {
        var active = new bool[Schema.Count];
        var inputColumns = new List<DataViewSchema.Column>();
        int n = input.Schema.Count;
        bool any = false;
        foreach (var c in needed)
        {
            active[c.Index] = true;
            if (c.Index < n) inputColumns.Add(input.Schema[c.Index]);
            else any = true;
        }
        if (any && !inputColumns.Any(c => c.Index == _feature)) inputColumns.Add(input.Schema[_feature]);
        return (inputColumns, active);
    }

    private sealed class PredictionCursor(NetworkTransformer transformer, DataViewSchema schema, DataViewRowCursor input, int feature, bool[] active)
        : DataViewRowCursor
    {
        private readonly RowPredictor _predictor = new(transformer, input, feature, input.Schema.Count);

        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override DataViewSchema Schema => schema;
        public override bool MoveNext() => input.MoveNext();
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            column.Index < input.Schema.Count ? input.GetGetter<TValue>(input.Schema[column.Index]) : _predictor.Getter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _predictor.Dispose();
                input.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
