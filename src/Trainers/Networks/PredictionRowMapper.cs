using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Trainers.Networks;

/// <summary>Row-to-row mapping of a <see cref="NetworkTransformer"/>, what ML.NET's PredictionEngine runs on.</summary>
internal sealed class PredictionRowMapper(NetworkTransformer transformer, DataViewSchema inputSchema)
    : Pipelines.MlNet.ColumnAddingRowMapper(inputSchema, transformer.Outputs.OutputSchema(inputSchema), transformer.CheckInput(inputSchema))
{
    protected override DataViewRow MapRow(DataViewRow input, bool[] active) => new MappedRow(transformer, OutputSchema, input, SourceColumn, active);

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
