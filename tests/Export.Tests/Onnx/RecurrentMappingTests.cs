using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Schema;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using IntTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<int>;
using Microsoft.ML;
using Microsoft.ML.Data;
using static DlBook.Export.Tests.Support.Networks;

namespace DlBook.Export.Tests.Onnx;

/// <summary>
/// The recurrent mappings (ONNX RNN, LSTM, GRU sequence-first, Embedding as Gather): exported nets pass onnx.checker
/// (full_check) and ONNX Runtime reproduces the engine's forward pass within 1e-4, on full-length batches and on
/// variable-length batches through the optional SequenceLengths input.
/// </summary>
public class RecurrentMappingTests
{
    public static TheoryData<string> Cases => new("rnn-tanh-regression", "rnn-relu-binary", "lstm-multiclass", "gru-binary", "stacked-bidirectional", "embedding-lstm");

    private static LayerSpec Cell(string kind, string name, int units, bool sequences = false, bool bidirectional = false) =>
        new LayerSpec { Kind = kind, Name = name }.With("units", units).With("returnSequences", sequences).With("bidirectional", bidirectional);

    internal static TestNet Case(string name) => name switch
    {
        "rnn-tanh-regression" => BuildShaped([25, 3], Activation.Identity, PredictionKind.Regression, 0, Cell(LayerKinds.SimpleRnn, "rnn1", 8), Units("dense1", 1)),
        "rnn-relu-binary" => BuildShaped([25, 3], Activation.Sigmoid, PredictionKind.BinaryClassification, 0,
            Cell(LayerKinds.SimpleRnn, "rnn1", 8).With("activation", "Relu"), Units("dense1", 1)),
        "lstm-multiclass" => BuildShaped([25, 3], Activation.Softmax, PredictionKind.MulticlassClassification, 0, Cell(LayerKinds.Lstm, "lstm1", 8), Units("dense1", 3)),
        "gru-binary" => BuildShaped([25, 3], Activation.Sigmoid, PredictionKind.BinaryClassification, 0, Cell(LayerKinds.Gru, "gru1", 8), Units("dense1", 1)),
        "stacked-bidirectional" => BuildShaped([25, 3], Activation.Softmax, PredictionKind.MulticlassClassification, 0,
            Cell(LayerKinds.Lstm, "lstm1", 6, sequences: true, bidirectional: true), Cell(LayerKinds.Gru, "gru2", 5, bidirectional: true), Units("dense1", 2)),
        "embedding-lstm" => BuildShaped([12], Activation.Softmax, PredictionKind.MulticlassClassification, 0,
            new LayerSpec { Kind = LayerKinds.Embedding, Name = "embedding" }.With("vocab", 20).With("dim", 4), Cell(LayerKinds.Lstm, "lstm1", 6), Units("dense1", 3)),
        _ => throw new ArgumentException(name),
    };

    private static float[] X(string name, int batch, int size, int seed) => name == "embedding-lstm"
        ? Inputs(batch, size, seed).Select(v => MathF.Floor(v * 20)).ToArray()   // token ids 0…19
        : Inputs(batch, size, seed).Select(v => 2 * v - 1).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportedRecurrentNetPassesTheOnnxChecker(string name)
    {
        using var dir = new TempDir();
        var path = dir.File(name + ".onnx");
        File.WriteAllBytes(path, Case(name).Bytes());
        var (code, output) = OnnxChecker.Check(path);
        Assert.True(code == 0, $"onnx.checker rejected {name}: {output}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OrtMatchesTheEngineOnFullAndVariableLengthBatches(string name)
    {
        var model = Case(name);
        var shape = model.Net.InputShape;
        int size = Tensor.ComputeLength(shape), steps = shape[0];
        using var session = new InferenceSession(model.Bytes());
        string output = model.Task == PredictionKind.BinaryClassification ? "Probability" : "Score";
        foreach (var lengths in new[] { new[] { steps }, new[] { steps, 7, 1, steps - 2, steps } })
        {
            int batch = lengths.Length;
            var x = X(name, batch, size, seed: 30 + batch);
            bool variable = lengths.Distinct().Count() > 1;
            model.Net.SetSequenceLengths(variable ? lengths : []);
            var expected = model.Predict(new Tensor(x, [batch, .. shape])).Span.ToArray();
            model.Net.SetSequenceLengths([]);
            var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("Features", new DenseTensor(x, [batch, .. shape])) };
            if (variable) inputs.Add(NamedOnnxValue.CreateFromTensor("SequenceLengths", new IntTensor(lengths, [batch])));
            using var results = session.Run(inputs);
            var actual = results.First(r => r.Name == output).AsTensor<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            double maxErr = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(maxErr <= 1e-4, $"{name}, lengths [{string.Join(",", lengths)}]: max |ORT − engine| {maxErr:G3}");
            if (variable) Assert.True(expected.Max() - expected.Min() > 1e-3, $"{name}: the outputs hardly vary, the comparison means nothing");
        }
    }
}

/// <summary>A recurrent net trained through ML.NET, exported as a chain and batch-scored by ONNX Runtime.</summary>
public sealed class RecurrentChainExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-rnn-onnx-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void An_lstm_fitted_on_the_adding_problem_exports_and_the_batch_scorer_gives_its_scores()
    {
        var ml = new Microsoft.ML.MLContext(seed: 1);
        var data = ml.Data.LoadAddingProblem(rows: 300, length: 20, seed: 4);
        var model = ml.Regression.Trainers.Recurrent(new DlBook.Trainers.Recurrent.RecurrentOptions { HiddenSize = 8, Epochs = 2, MonitorGradients = false }).Fit(data);
        var path = Path.Combine(_dir, "adding.onnx");
        ml.Model.ExportToOnnx(model, data.Schema, path);
        Assert.Equal(0, OnnxChecker.Check(path).ExitCode);
        var expected = model.Transform(data).GetColumn<float>("Score").ToArray();
        using var scorer = new DlBook.Export.Scoring.OnnxBatchScorer(path, new DlBook.Export.Scoring.OnnxBatchScorerOptions { BatchSize = 64 });
        var csv = Path.Combine(_dir, "scores.csv");
        Assert.Equal(300, scorer.ScoreToCsv(data, csv).Rows);
        var scores = File.ReadAllLines(csv).Skip(1).Select(l => float.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        for (int i = 0; i < 300; i++) Assert.InRange(Math.Abs(scores[i] - expected[i]), 0, 1e-4);
    }
}
