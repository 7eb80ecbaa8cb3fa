using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Views;

namespace DlBook.Pipelines.Loaders.Idx;

/// <summary>
/// MNIST-style IDX images (and optionally labels) as a view. The headers are read and checked when the view
/// is created (the schema needs the image size); the pixels are read on first enumeration and kept as bytes
/// (47 MB for MNIST's training set), scaled to floats batch by batch.
/// </summary>
internal sealed class IdxDataView : RandomAccessDataView
{
    private readonly IdxFile _images;
    private readonly IdxFile? _labels;
    private readonly Lazy<InMemoryDataView> _data;

    public IdxDataView(string imagesPath, string? labelsPath, float scale, string featureColumnName, string labelColumnName)
    {
        _images = IdxFile.Open(imagesPath, IdxFile.ImagesMagic);
        _labels = labelsPath is null ? null : IdxFile.Open(labelsPath, IdxFile.LabelsMagic);
        if (_labels is not null && _labels.Count != _images.Count)
            throw new DataFormatException(labelsPath!, "byte offset 4 (item count)",
                $"the labels file holds {_labels.Count:N0} labels but the images file '{imagesPath}' holds {_images.Count:N0} images.",
                "Pair the files of the same split (train-images with train-labels, t10k-images with t10k-labels).");
        var columns = new List<DataColumn> { new(featureColumnName, new VectorType([_images.ItemSize])) };
        if (_labels is not null) columns.Add(new DataColumn(labelColumnName, ScalarType.Instance));
        Schema = new DataSchema(columns);
        _data = new Lazy<InMemoryDataView>(() => Load(scale, featureColumnName, labelColumnName), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public override DataSchema Schema { get; }
    public override long? RowCount => _images.Count;
    public override int Rows => _images.Count;

    public override ColumnData Gather(string column, int[]? order, int start, int count, ColumnData? reuse = null) =>
        _data.Value.RandomAccess.Gather(column, order, start, count, reuse);

    private InMemoryDataView Load(float scale, string featureColumnName, string labelColumnName)
    {
        var stores = new Dictionary<string, ColumnStore>
        {
            [featureColumnName] = new ByteFloatStore(_images.ReadData(), _images.Count, _images.ItemSize, scale),
        };
        if (_labels is not null)
        {
            var bytes = _labels.ReadData();
            var labels = new float[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) labels[i] = bytes[i];
            stores[labelColumnName] = new FloatStore(labels, labels.Length, 1);
        }
        return new InMemoryDataView(Schema, stores, _images.Count);
    }
}
