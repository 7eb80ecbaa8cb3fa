using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Views;
using DlBook.Pipelines.Loaders.Text;
using DlBook.TestSupport;

namespace DlBook.Pipelines.Tests.Catalogs;

/// <summary>Data.SaveAsText: CSV with a header, quoting, label names, written atomically.</summary>
public sealed class SaveAsTextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-save-").FullName;
    private readonly DlContext _ctx = new(1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public sealed class Row
    {
        public string Text { get; set; } = "";
        public float X { get; set; }
        [VectorType(2)] public float[] V { get; set; } = new float[2];
    }

    [Fact]
    public void WritesAHeaderRowNumbersAndExpandsVectors()
    {
        var data = _ctx.Data.LoadFromEnumerable(new[]
        {
            new Row { Text = "a", X = 1.5f, V = [0.1f, -2] },
            new Row { Text = "b", X = float.NaN, V = [1e-8f, 3] },
        });
        var path = Path.Combine(_dir, "sub", "out.csv");
        Assert.Equal(2, _ctx.Data.SaveAsText(data, path, ["X", "V", "Text"]));
        Assert.Equal("Row,X,V_0,V_1,Text\n0,1.5,0.1,-2,a\n1,NaN,1E-08,3,b\n", File.ReadAllText(path));

        var noNumbers = Path.Combine(_dir, "plain.csv");
        Assert.Equal(2, _ctx.Data.SaveAsText(data, noNumbers, ["Text"], includeRowNumber: false));
        Assert.Equal("Text\na\nb\n", File.ReadAllText(noNumbers));
    }

    [Fact]
    public void FieldsWithCommasQuotesOrLineBreaksAreQuoted()
    {
        string[] texts = ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", ""];
        var data = _ctx.Data.LoadFromEnumerable(texts.Select(t => new Row { Text = t }).ToArray());
        var path = Path.Combine(_dir, "quoted.csv");
        _ctx.Data.SaveAsText(data, path, ["Text", "X"], includeRowNumber: false);
        Assert.Equal("Text,X\nplain,0\n\"a,b\",0\n\"say \"\"hi\"\"\",0\n\"two\nlines\",0\n\"cr\rhere\",0\n,0\n", File.ReadAllText(path));

        // The text loader reads the quoted fields back as they were.
        var back = _ctx.Data.LoadFromTextFile(path, new TextLoaderOptions
        {
            Columns = [new("Text", DataKind.String, 0), new("X", DataKind.Single, 1)], Separator = ',', HasHeader = true, AllowQuoting = true,
        });
        Assert.Equal(texts, TestViews.Texts(back, "Text"));
    }

    [Fact]
    public void KeysAreWrittenAsLabelNamesAndNameTheScoreColumns()
    {
        var schema = new DataSchema([new("Label", new KeyType(3, ["cat", "dog", "x,y"])), new("Score", new VectorType([3])), new("Raw", new KeyType(2, null))]);
        var data = new InMemoryDataView(schema, new Dictionary<string, ColumnData>
        {
            ["Label"] = new KeyColumnData([2, 0], 2),
            ["Score"] = new FloatColumnData([0.25f, 0.25f, 0.5f, 1, 0, 0], 2, 3),
            ["Raw"] = new KeyColumnData([1, 0], 2),
        });
        var path = Path.Combine(_dir, "keys.csv");
        _ctx.Data.SaveAsText(data, path, ["Score", "Label", "Raw"], includeRowNumber: false);
        Assert.Equal("Score_cat,Score_dog,\"Score_x,y\",Label,Raw\n0.25,0.25,0.5,\"x,y\",1\n1,0,0,cat,0\n", File.ReadAllText(path));
    }

    [Fact]
    public void AFailureMidWayLeavesNothingAtThePathAndNoTemporaryFile()
    {
        // Row 1500 holds a value the key mapping never saw: the write fails in its second batch.
        var rows = Enumerable.Range(0, 2000).Select(i => new NumberRow { Id = i, X = i == 1500 ? -1 : i % 3 }).ToArray();
        var fit = _ctx.Data.LoadFromEnumerable(rows.Take(10).ToArray());
        var model = _ctx.Transforms.Conversion.MapValueToKey("Key", "X").Fit(fit);
        var data = model.Transform(_ctx.Data.LoadFromEnumerable(rows));
        var path = Path.Combine(_dir, "partial.csv");
        var e = Assert.Throws<DataFormatException>(() => _ctx.Data.SaveAsText(data, path, ["Id", "Key"], batchSize: 1024));
        Assert.Contains("value -1", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));

        // An existing file is left as it was.
        File.WriteAllText(path, "previous contents");
        Assert.Throws<DataFormatException>(() => _ctx.Data.SaveAsText(data, path, ["Id", "Key"]));
        Assert.Equal("previous contents", File.ReadAllText(path));
        Assert.Single(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void AColumnThatCannotBeTextIsASchemaErrorAndWritesNothing()
    {
        var schema = new DataSchema([new("Id", ScalarType.Instance), new("Steps", new SequenceType([1]))]);
        var data = new InMemoryDataView(schema, new Dictionary<string, ColumnData>
        {
            ["Id"] = new FloatColumnData([1, 2], 2, 1),
            ["Steps"] = new SequenceColumnData([1, 2, 3], [0, 1, 3], 1),
        });
        var path = Path.Combine(_dir, "seq.csv");
        var e = Assert.Throws<SchemaException>(() => _ctx.Data.SaveAsText(data, path, ["Id", "Steps"]));
        Assert.Contains("'Steps'", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
        Assert.Throws<SchemaException>(() => _ctx.Data.SaveAsText(data, path, ["Nope"]));
    }

    [Fact]
    public void MnistRowsSurviveIdxToCsvAndBackBitForBit()
    {
        var mnist = _ctx.Data.LoadIdx(SharedData.Mnist("t10k-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz"));
        var first = _ctx.Data.TakeRows(mnist, 300);
        var path = Path.Combine(_dir, "mnist.csv");
        Assert.Equal(300, _ctx.Data.SaveAsText(first, path, ["Label", "Features"], includeRowNumber: false, batchSize: 128));

        var lines = File.ReadAllLines(path);
        Assert.Equal(301, lines.Length);
        Assert.Equal(785, lines[0].Split(',').Length);
        Assert.StartsWith("Label,Features_0,Features_1,", lines[0]);
        Assert.EndsWith(",Features_783", lines[0]);
        Assert.StartsWith("7,0,0,", lines[1]);

        var back = _ctx.Data.LoadFromTextFile(path, [new("Label", DataKind.Single, 0), new("Features", DataKind.Single, 1, 784)], ',', hasHeader: true);
        Assert.Equal(TestViews.Floats(first, "Label"), TestViews.Floats(back, "Label"));
        var expected = TestViews.Floats(first, "Features");
        var actual = TestViews.Floats(back, "Features");
        Assert.Equal(300 * 784, actual.Length);
        Assert.True(expected.AsSpan().SequenceEqual(actual), "pixel values changed in the round trip");
        Assert.Contains(actual, p => p > 0 && p < 1);
    }
}
