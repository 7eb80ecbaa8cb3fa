using DlBook.Engine.Activations;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Tests.Support;

namespace DlBook.Export.Tests.Onnx;

/// <summary>
/// The engine's own networks (Sequential built from NetworkBuilder specs) exported and run by ORT on
/// real MNIST test images: outputs within 1e-4 at batch 1 and 64 on 256 images, and the same predicted
/// label on all 10,000.
/// </summary>
public class EngineParityTests
{
    public static TheoryData<string> Nets => new(
        "sigmoid 784-30-10", "sigmoid 784-30-30-10", "sigmoid 784-30-30-30-10", "sigmoid 784-30-30-30-30-10",
        "relu+batchnorm+dropout softmax 784-100-50-10", "tanh sigmoid-output 784-40-10", "leakyrelu softmax 784-64-10");

    internal static Sequential Build(string name)
    {
        var rng = new Rng(17);
        List<DlBook.Engine.Layers.LayerSpec> specs;
        Activation output;
        switch (name)
        {
            case var s when s.StartsWith("sigmoid "):
                var hidden = s["sigmoid 784-".Length..].Split('-').SkipLast(1).Select(int.Parse).ToArray();
                specs = NetworkBuilder.Mlp(784, hidden, 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal");
                output = Activation.Sigmoid;
                break;
            case "relu+batchnorm+dropout softmax 784-100-50-10":
                specs = NetworkBuilder.Mlp(784, [100, 50], 10, Activation.Relu, "HeNormal", "Zeros", dropout: 0.3f, batchNorm: true);
                output = Activation.Softmax;
                break;
            case "tanh sigmoid-output 784-40-10":
                specs = NetworkBuilder.Mlp(784, [40], 10, Activation.Tanh, "GlorotUniform", "Zeros");
                output = Activation.Sigmoid;
                break;
            case "leakyrelu softmax 784-64-10":
                specs = NetworkBuilder.Mlp(784, [64], 10, Activation.LeakyRelu, "HeUniform", "Zeros");
                output = Activation.Softmax;
                break;
            default: throw new ArgumentException(name);
        }
        var net = new Sequential(specs, [784], output, rng);
        // Real running statistics for batch norm: a few training-mode passes over MNIST batches.
        for (int b = 0; b < 8; b++) net.Forward(new Tensor(Mnist.Pixels[(b * 500 * 784)..((b + 1) * 500 * 784)], 500, 784), training: true);
        return net;
    }

    [Theory]
    [MemberData(nameof(Nets))]
    public void OrtEqualsTheEngineOn256ImagesAtBatch1And64(string name)
    {
        var net = Build(name);
        using var session = OnnxSession.FromBytes(OnnxExporter.ToBytes(net), name: name);
        using var one = session.Runner(1, outputNames: ["Score"]);
        using var many = session.Runner(64, outputNames: ["Score"]);
        const int n = 256;
        var x = Mnist.Pixels[..(n * 784)];
        var expected = net.Predict(new Tensor(x, n, 784)).Clone();
        foreach (int batch in new[] { 1, 64 })
        {
            double maxErr = 0;
            for (int start = 0; start < n; start += batch)
            {
                var chunk = x[(start * 784)..((start + batch) * 784)];
                var runner = batch == 1 ? one : many;
                runner.Run(chunk, batch);
                var score = runner.Output("Score");
                for (int i = 0; i < score.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(score[i] - expected.Span[start * 10 + i]));
            }
            Assert.True(maxErr <= 1e-4, $"{name}, batch {batch}: max |ORT − engine| = {maxErr:g3}");
        }
    }

    [Theory]
    [MemberData(nameof(Nets))]
    public void PredictedLabelsAgreeOnAllTenThousandTestImages(string name)
    {
        var net = Build(name);
        var labels = (long[])Ort.Run(OnnxExporter.ToBytes(net), Mnist.Pixels, Mnist.Rows, 784)["PredictedLabel"];
        var engine = net.Predict(new Tensor(Mnist.Pixels, Mnist.Rows, 784));
        int disagree = 0;
        for (int r = 0; r < Mnist.Rows; r++)
        {
            var row = engine.Row(r);
            int best = 0;
            for (int j = 1; j < 10; j++) if (row[j] > row[best]) best = j;
            if (best != labels[r]) disagree++;
        }
        Assert.Equal(0, disagree);
    }
}
