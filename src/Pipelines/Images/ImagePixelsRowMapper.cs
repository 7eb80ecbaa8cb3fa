using DlBook.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Images;

/// <summary>
/// <see cref="ImagePixelsTransformer"/> one row at a time, what ML.NET's <c>PredictionEngine</c> runs on: the row's image
/// is decoded when its pixels are read. A single row cannot be left out, so an image that cannot be read is a
/// <see cref="DataFormatException"/> naming the file and what is wrong with it.
/// </summary>
internal sealed class ImagePixelsRowMapper(ImagePixelsOptions options, DataViewSchema inputSchema)
    : MlNet.ColumnAddingRowMapper(inputSchema, ImagePixelsTransformer.OutputSchema(inputSchema, options), ImagePixelsTransformer.CheckPathColumn(inputSchema, options))
{
    private readonly ImagePixelsOptions _options = options;

    protected override DataViewRow MapRow(DataViewRow input, bool[] active) => new Row(this, input, active);

    private sealed class Row(ImagePixelsRowMapper mapper, DataViewRow input, bool[] active) : DataViewRow
    {
        private readonly float[] _pixels = new float[ImageDecoder.Size(mapper._options)];
        private long _decoded = -1;
        private ReadOnlyMemory<char> _text;

        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override DataViewSchema Schema => mapper.OutputSchema;
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < input.Schema.Count) return input.GetGetter<TValue>(input.Schema[column.Index]);
            var path = input.GetGetter<ReadOnlyMemory<char>>(input.Schema[mapper.SourceColumn]);
            ValueGetter<VBuffer<float>> pixels = (ref VBuffer<float> value) =>
            {
                if (_decoded != input.Position || input.Position < 0)
                {
                    path(ref _text);
                    var p = _text.ToString();
                    var full = mapper._options.ImageFolder is { Length: > 0 } folder && p.Length > 0 ? Path.Combine(folder, p) : p;
                    if (p.Length == 0) throw new DataFormatException($"Row {input.Position} of column '{mapper._options.ImagePathColumnName}' holds no image path.");
                    if (ImageDecoder.TryDecode(full, mapper._options, _pixels) is { } problem)
                        throw new DataFormatException($"Image '{full}' cannot be used: {problem} Give the prediction a readable JPEG or PNG file.");
                    _decoded = input.Position;
                }
                var editor = VBufferEditor.Create(ref value, _pixels.Length);
                _pixels.CopyTo(editor.Values);
                value = editor.Commit();
            };
            return pixels as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }
    }
}
