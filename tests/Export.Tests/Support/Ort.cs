using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DlBook.Export.Tests.Support;

/// <summary>ONNX Runtime's own API on one float input "Features" (the reference the project's session and scorer are held to).</summary>
internal static class Ort
{
    public static Dictionary<string, Array> Run(byte[] model, float[] x, int rows, int size, string input = "Features") =>
        Run(model, x, rows, [size], input);

    /// <summary>The same for an input of per-row shape <paramref name="rowShape"/> (images: [C, H, W]).</summary>
    public static Dictionary<string, Array> Run(byte[] model, float[] x, int rows, int[] rowShape, string input = "Features")
    {
        int size = rowShape.Aggregate(1, (a, b) => a * b);
        using var session = new InferenceSession(model);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(x.AsMemory(0, rows * size), [rows, .. rowShape]))]);
        return results.ToDictionary(r => r.Name, r => r.Value switch
        {
            Tensor<float> f => (Array)f.ToArray(),
            Tensor<long> l => l.ToArray(),
            Tensor<bool> b => b.ToArray(),
            Tensor<string> s => s.ToArray(),
            var v => throw new InvalidOperationException($"Output {r.Name} is {v?.GetType()}"),
        });
    }
}
