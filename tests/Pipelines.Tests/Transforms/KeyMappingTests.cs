using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Chains;
using DlBook.Pipelines.Transforms.Keys;
using DlBook.TestSupport;

namespace DlBook.Pipelines.Tests.Transforms;

/// <summary>Conversion.MapValueToKey and MapKeyToValue.</summary>
public sealed class KeyMappingTests
{
    private readonly DlContext _ctx = new(1);

    public sealed class LabelRow
    {
        public float Label { get; set; }
        public float Other { get; set; }
    }

    public sealed class TextLabelRow
    {
        public string Label { get; set; } = "";
    }

    public sealed class RawKeyRow
    {
        [KeyType(3)] public uint Label { get; set; }
    }

    private IDataView Numbers(params float[] labels) =>
        _ctx.Data.LoadFromEnumerable(labels.Select((l, i) => new LabelRow { Label = l, Other = i }).ToArray());

    private IDataView Texts(params string[] labels) =>
        _ctx.Data.LoadFromEnumerable(labels.Select(l => new TextLabelRow { Label = l }).ToArray());

    [Fact]
    public void ByValueIsTheDefaultAndNumbersKeysInAscendingOrder()
    {
        var data = Numbers(3, 1, 2, 1, 3);
        var model = _ctx.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(data);
        Assert.Equal(new[] { "1", "2", "3" }, model.LabelNames);
        Assert.False(model.IsText);
        var output = model.Transform(data);
        var type = Assert.IsType<KeyType>(output.Schema["Key"].Type);
        Assert.Equal(3, type.Count);
        Assert.Equal(new[] { "1", "2", "3" }, type.LabelNames);
        Assert.Equal(new uint[] { 2, 0, 1, 0, 2 }, TestViews.Keys(output, "Key"));
        Assert.Equal(ScalarType.Instance, output.Schema["Label"].Type);
    }

    [Fact]
    public void ByOccurrenceNumbersKeysInOrderOfFirstAppearance()
    {
        var data = Numbers(3, 1, 2, 1, 3);
        var model = _ctx.Transforms.Conversion.MapValueToKey("Key", "Label", KeyOrdinality.ByOccurrence).Fit(data);
        Assert.Equal(new[] { "3", "1", "2" }, model.LabelNames);
        Assert.Equal(new uint[] { 0, 1, 2, 1, 0 }, TestViews.Keys(model.Transform(data), "Key"));
    }

    [Fact]
    public void TextValuesSortOrdinallyByValueOrKeepFirstAppearance()
    {
        var data = Texts("spam", "ham", "spam", "Ham");
        var byValue = _ctx.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        Assert.True(byValue.IsText);
        Assert.Equal(new[] { "Ham", "ham", "spam" }, byValue.LabelNames);
        Assert.Equal(new uint[] { 2, 1, 2, 0 }, TestViews.Keys(byValue.Transform(data), "Label"));
        Assert.Equal(new KeyType(3, byValue.LabelNames).Count, ((KeyType)byValue.Transform(data).Schema["Label"].Type).Count);

        var byOccurrence = _ctx.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByOccurrence).Fit(data);
        Assert.Equal(new[] { "spam", "ham", "Ham" }, byOccurrence.LabelNames);
        Assert.Equal(new uint[] { 0, 1, 0, 2 }, TestViews.Keys(byOccurrence.Transform(data), "Label"));
    }

    [Fact]
    public void MnistDigitDBecomesKeyD()
    {
        var test = _ctx.Data.LoadIdx(SharedData.Mnist("t10k-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz"));
        var model = _ctx.Transforms.Conversion.MapValueToKey("Label").Fit(test);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), model.LabelNames);
        Assert.Equal(10, model.KeyType.Count);
        var digits = TestViews.Floats(test, "Label");
        var keys = TestViews.Keys(model.Transform(test), "Label");
        Assert.Equal(digits.Select(d => (uint)d), keys);
        Assert.Equal(new uint[] { 7, 2, 1, 0, 4 }, keys[..5]);
    }

    [Fact]
    public void NonIntegerValuesKeepTheirRoundTripTextAsLabelNames()
    {
        var model = _ctx.Transforms.Conversion.MapValueToKey("Label").Fit(Numbers(0.5f, -2, 0.1f));
        Assert.Equal(new[] { "-2", "0.1", "0.5" }, model.LabelNames);
    }

    [Fact]
    public void AValueUnseenWhenFittingFailsWhenItsKeyIsRead()
    {
        var model = _ctx.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(Numbers(1, 2, 3));
        var output = model.Transform(Numbers(1, 7, 2)); // lazy: nothing is mapped yet
        var e = Assert.Throws<DataFormatException>(() => TestViews.Keys(output, "Key"));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("value 7", e.Message);
        Assert.Contains("(row 1)", e.Message);
        Assert.Contains("known: 1, 2, 3", e.Message);
        // Columns that do not need the key are still readable.
        Assert.Equal(new float[] { 0, 1, 2 }, TestViews.Floats(output, "Other"));

        var text = _ctx.Transforms.Conversion.MapValueToKey("Label").Fit(Texts("a", "b"));
        var textError = Assert.Throws<DataFormatException>(() => TestViews.Keys(text.Transform(Texts("b", "c")), "Label"));
        Assert.Contains("'c'", textError.Message);
    }

    [Fact]
    public void MissingValuesGetNoKey()
    {
        var model = _ctx.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(Numbers(2, float.NaN, 1));
        Assert.Equal(new[] { "1", "2" }, model.LabelNames);
        var e = Assert.Throws<DataFormatException>(() => TestViews.Keys(model.Transform(Numbers(float.NaN)), "Key"));
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void ColumnsOfOtherTypesAndEmptyDataAreRejected()
    {
        var vectors = _ctx.Data.LoadFromEnumerable(new[] { new VectorRow() });
        var e = Assert.Throws<SchemaException>(() => _ctx.Transforms.Conversion.MapValueToKey("V").Fit(vectors));
        Assert.Contains("'V'", e.Message);
        Assert.Throws<SchemaException>(() => _ctx.Transforms.Conversion.MapValueToKey("Nope").Fit(vectors));
        Assert.Throws<DataFormatException>(() => _ctx.Transforms.Conversion.MapValueToKey("Label").Fit(Numbers()));
        // A text mapping applied to a numeric column.
        var text = _ctx.Transforms.Conversion.MapValueToKey("Label").Fit(Texts("a"));
        var wrong = Assert.Throws<SchemaException>(() => text.Transform(Numbers(1)));
        Assert.Contains("fitted on text", wrong.Message);
    }

    [Fact]
    public void MapKeyToValueGivesBackNumbersAsSingleAndTextAsString()
    {
        var numbers = Numbers(9, 4, 4, 0);
        var numeric = _ctx.Transforms.Conversion.MapValueToKey("Key", "Label")
            .Append(_ctx.Transforms.Conversion.MapKeyToValue("Back", "Key")).Fit(numbers).Transform(numbers);
        Assert.Equal(ScalarType.Instance, numeric.Schema["Back"].Type);
        Assert.Equal(new uint[] { 2, 1, 1, 0 }, TestViews.Keys(numeric, "Key"));
        Assert.Equal(new float[] { 9, 4, 4, 0 }, TestViews.Floats(numeric, "Back"));

        var texts = Texts("cat", "dog", "cat", "1");
        var text = _ctx.Transforms.Conversion.MapValueToKey("Key", "Label")
            .Append(_ctx.Transforms.Conversion.MapKeyToValue("Back", "Key")).Fit(texts).Transform(texts);
        Assert.Equal(TextType.Instance, text.Schema["Back"].Type);
        Assert.Equal(new[] { "cat", "dog", "cat", "1" }, TestViews.Texts(text, "Back"));

        // In place: the key column becomes the value column again.
        var inPlace = _ctx.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ctx.Transforms.Conversion.MapKeyToValue("Label")).Fit(texts).Transform(texts);
        Assert.Equal(TextType.Instance, inPlace.Schema["Label"].Type);
        Assert.Equal(new[] { "cat", "dog", "cat", "1" }, TestViews.Texts(inPlace, "Label"));
    }

    [Fact]
    public void AChainCanMapKeysBackBeforeTheKeysAreFitted()
    {
        // Before fitting, MapValueToKey's key has no class count or names yet; the chain's up-front schema check accepts it.
        var pipeline = _ctx.Transforms.Conversion.MapValueToKey("Key", "Label").Append(_ctx.Transforms.Conversion.MapKeyToValue("Back", "Key"));
        var before = pipeline.GetOutputSchema(Numbers(1).Schema);
        Assert.Equal(new KeyType(0, null), before["Key"].Type);
        Assert.Equal(ScalarType.Instance, before["Back"].Type);
        var fitted = pipeline.Fit(Numbers(4, 2)).Transform(Numbers(2, 4));
        Assert.Equal(new KeyType(2, ["2", "4"]).Count, ((KeyType)fitted.Schema["Key"].Type).Count);
        Assert.Equal(new float[] { 2, 4 }, TestViews.Floats(fitted, "Back"));
    }

    [Fact]
    public void MapKeyToValueNeedsAKeyWithLabelNames()
    {
        var raw = _ctx.Data.LoadFromEnumerable(new[] { new RawKeyRow { Label = 1 } });
        var noNames = Assert.Throws<SchemaException>(() => _ctx.Transforms.Conversion.MapKeyToValue("Label").Fit(raw));
        Assert.Contains("no label names", noNames.Message);
        var notKey = Assert.Throws<SchemaException>(() => _ctx.Transforms.Conversion.MapKeyToValue("Label").Fit(Numbers(1)));
        Assert.Contains("needs a key column", notKey.Message);
    }

    [Fact]
    public void SavedAndLoadedKeyMappingsMapTheSameWay()
    {
        var numbers = Numbers(5, 3, 5, 8);
        var numeric = _ctx.Transforms.Conversion.MapValueToKey("Key", "Label", KeyOrdinality.ByOccurrence).Fit(numbers);
        var loadedNumeric = Assert.IsType<ValueToKeyMappingTransformer>(TestViews.RoundTrip(numeric));
        Assert.Equal(("Key", "Label", false), (loadedNumeric.OutputColumnName, loadedNumeric.InputColumnName, loadedNumeric.IsText));
        Assert.Equal(new[] { "5", "3", "8" }, loadedNumeric.LabelNames);
        Assert.Equal(new uint[] { 0, 1, 0, 2 }, TestViews.Keys(loadedNumeric.Transform(numbers), "Key"));

        var texts = Texts("b", "a", "c");
        var text = _ctx.Transforms.Conversion.MapValueToKey("Label").Fit(texts);
        var loadedText = Assert.IsType<ValueToKeyMappingTransformer>(TestViews.RoundTrip(text));
        Assert.True(loadedText.IsText);
        Assert.Equal(new[] { "a", "b", "c" }, loadedText.LabelNames);
        Assert.Equal(new uint[] { 1, 0, 2 }, TestViews.Keys(loadedText.Transform(texts), "Label"));

        var back = Assert.IsType<KeyToValueMappingTransformer>(TestViews.RoundTrip(new KeyToValueMappingTransformer("Back", "Label")));
        Assert.Equal(("Back", "Label"), (back.OutputColumnName, back.InputColumnName));
        Assert.Equal(new[] { "b", "a", "c" }, TestViews.Texts(back.Transform(loadedText.Transform(texts)), "Back"));
    }
}
