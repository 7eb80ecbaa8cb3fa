using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Loaders.Text;
using DlBook.TestSupport;

namespace DlBook.Pipelines.Tests.Loaders;

public sealed class TextLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-text-").FullName;
    private readonly DlContext _ctx = new(1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    public sealed class SmsRow
    {
        [LoadColumn(0)] public string Label { get; set; } = "";
        [LoadColumn(1)] public string Text { get; set; } = "";
    }

    public sealed class Passengers
    {
        [LoadColumn(0)] public string Month { get; set; } = "";
        [LoadColumn(1), ColumnName("Label")] public float Count { get; set; }
    }

    [Fact]
    public void AirlinePassengersCsvWithQuotedHeaderCrlfAndNoFinalNewline()
    {
        var view = _ctx.Data.LoadFromTextFile(SharedData.File("timeseries", "airline-passengers.csv"), new TextLoaderOptions
        {
            HasHeader = true,
            Columns = [new("Month", DataKind.String, 0), new("Passengers", DataKind.Single, 1)],
        });
        var months = TestViews.Texts(view, "Month");
        var values = TestViews.Floats(view, "Passengers", new BatchOptions { BatchSize = 10 });
        Assert.Equal(144, values.Length);
        Assert.Equal("1949-01", months[0]); // quotes removed
        Assert.Equal("1960-12", months[^1]);
        Assert.Equal(112f, values[0]);
        Assert.Equal(104f, values.Min());
        Assert.Equal(622f, values.Max());
        Assert.Equal(280.3, values.Average(v => (double)v), 1);
    }

    [Fact]
    public void TypedLoadUsesLoadColumnAndColumnName()
    {
        var view = _ctx.Data.LoadFromTextFile<Passengers>(SharedData.File("timeseries", "airline-passengers.csv"), hasHeader: true);
        Assert.Equal(ScalarType.Instance, view.Schema["Label"].Type);
        var rows = _ctx.Data.CreateEnumerable<Passengers>(view).ToList();
        Assert.Equal(144, rows.Count);
        Assert.Equal("1949-02", rows[1].Month);
        Assert.Equal(118f, rows[1].Count);
    }

    [Fact]
    public void SmsSpamTsvIsDetectedAsTabSeparatedAndKeepsQuotesAsText()
    {
        var view = _ctx.Data.LoadFromTextFile<SmsRow>(SharedData.File("sms-spam", "SMSSpamCollection"));
        var labels = TestViews.Texts(view, "Label");
        var texts = TestViews.Texts(view, "Text");
        Assert.Equal(5574, labels.Length);
        Assert.Equal(4827, labels.Count(l => l == "ham"));
        Assert.Equal(747, labels.Count(l => l == "spam"));
        Assert.StartsWith("Go until jurong point", texts[0]);
        Assert.Contains(texts, t => t.StartsWith("\"Happy valentines day\" I know"));
        Assert.Equal(910, texts.Max(t => t.Length));
    }

    [Fact]
    public void SmsSpamWithForcedQuotingFailsOnTheLineWithAStrayQuote()
    {
        var path = SharedData.File("sms-spam", "SMSSpamCollection");
        var view = _ctx.Data.LoadFromTextFile<SmsRow>(path, separatorChar: '\t', allowQuoting: true);
        var e = Assert.Throws<DataFormatException>(() => TestViews.Texts(view, "Text"));
        Assert.Contains(path, e.Message);
        // The first line whose message opens a quote and continues after closing it.
        var lines = File.ReadAllLines(path);
        int first = Array.FindIndex(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l.Split('\t')[1], "^\"[^\"]*\"[^\"\t]"));
        Assert.True(first >= 0);
        Assert.Contains($"line {first + 1},", e.Message);
    }

    [Fact]
    public void QuotedFieldsHoldSeparatorsDoubledQuotesAndLineBreaks()
    {
        var path = Write("q.csv", "id,text,x\n1,\"a, b\",1.5\n2,\"say \"\"hi\"\"\",2\n3,\"two\nlines\",3\n\n4,plain,-4e-1\n");
        var view = _ctx.Data.LoadFromTextFile(path, [new("Text", DataKind.String, 1), new("X", DataKind.Single, 2)], hasHeader: true);
        Assert.Equal(new[] { "a, b", "say \"hi\"", "two\nlines", "plain" }, TestViews.Texts(view, "Text"));
        Assert.Equal(new[] { 1.5f, 2f, 3f, -0.4f }, TestViews.Floats(view, "X"));
    }

    [Fact]
    public void RangeColumnsBecomeVectorsAndEmptyFieldsAreNaN()
    {
        var path = Write("v.csv", "1,2,3,0\n4,,6,1\n");
        var view = _ctx.Data.LoadFromTextFile(path, new TextLoaderOptions
        {
            Columns = [new("Features", DataKind.Single, 0, 2), new("Label", DataKind.Key, 3) { KeyCount = 2 }],
        });
        Assert.Equal(new VectorType([3]), view.Schema["Features"].Type);
        Assert.Equal(new KeyType(2, null), view.Schema["Label"].Type);
        var f = TestViews.Floats(view, "Features");
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, f[..4]);
        Assert.True(float.IsNaN(f[4]));
        Assert.Equal(6f, f[5]);
        Assert.Equal(new uint[] { 0, 1 }, TestViews.Keys(view, "Label"));
    }

    [Fact]
    public void NonNumericFieldNamesFileLineAndColumn()
    {
        var path = Write("bad.csv", "a,b\n1,2\n3,x7\n5,6\n");
        var view = _ctx.Data.LoadFromTextFile(path, [new("A", DataKind.Single, 0), new("B", DataKind.Single, 1)], hasHeader: true);
        var e = Assert.Throws<DataFormatException>(() => TestViews.Floats(view, "B"));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("column 'B'", e.Message);
        Assert.Contains("'x7'", e.Message);
    }

    [Fact]
    public void ShortRowNamesTheLineAndFieldCount()
    {
        var path = Write("short.tsv", "1\t2\t3\n4\t5\n");
        var view = _ctx.Data.LoadFromTextFile(path, [new("V", DataKind.Single, 0, 2)]);
        var e = Assert.Throws<DataFormatException>(() => TestViews.Floats(view, "V"));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("2 field(s)", e.Message);
    }

    [Fact]
    public void UnclosedQuoteNamesTheLineWhereItOpened()
    {
        var path = Write("open.csv", "1,ok\n2,\"never closed\n3,x\n");
        var view = _ctx.Data.LoadFromTextFile(path, [new("T", DataKind.String, 1)]);
        var e = Assert.Throws<DataFormatException>(() => TestViews.Texts(view, "T"));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("never closed", e.Message);
    }

    [Fact]
    public void ReadsBatchByBatchSoABadRowLateInTheFileDoesNotStopEarlierBatches()
    {
        var lines = Enumerable.Range(0, 1000).Select(i => i.ToString()).Append("oops");
        var path = Write("late.csv", string.Join("\n", lines));
        var view = _ctx.Data.LoadFromTextFile(path, [new("N", DataKind.Single, 0)]);
        using var batches = view.GetBatches(new BatchOptions { BatchSize = 100 }).GetEnumerator();
        for (int b = 0; b < 10; b++)
        {
            Assert.True(batches.MoveNext());
            Assert.Equal(b * 100f, batches.Current.Get<FloatColumnData>("N").Values[0]);
        }
        var e = Assert.Throws<DataFormatException>(() => batches.MoveNext());
        Assert.Contains("line 1001", e.Message);
    }

    [Fact]
    public void ShuffledPassIsAPermutationOfTheFile()
    {
        var path = Write("n.csv", string.Join("\n", Enumerable.Range(0, 50)));
        var view = _ctx.Data.LoadFromTextFile(path, [new("N", DataKind.Single, 0)]);
        var shuffled = TestViews.Floats(view, "N", new BatchOptions { BatchSize = 7, ShuffleSeed = 3 });
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (float)i), shuffled);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (float)i), shuffled.Order());
        Assert.Equal(shuffled, TestViews.Floats(view, "N", new BatchOptions { BatchSize = 50, ShuffleSeed = 3 }));
    }
}
