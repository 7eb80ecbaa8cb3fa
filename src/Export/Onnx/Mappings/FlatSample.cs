namespace DlBook.Export.Onnx.Mappings;

/// <summary>
/// Writes an operation that the engine applies over all of a sample's values (Softmax, LogSoftmax, BatchNorm1d's
/// per-feature statistics) on a sample that keeps its shape ([C, H, W] feature maps): Flatten(axis=1) to
/// [batch, size], the operation, then Reshape back to [batch, ..shape]. A flat sample gets the operation alone.
/// </summary>
internal static class FlatSample
{
    /// <summary>
    /// <paramref name="emit"/> applied to <paramref name="input"/> viewed as [batch, size] when
    /// <paramref name="shape"/> (the per-sample shape) has more than one axis; returns the output's name.
    /// </summary>
    public static string Apply(OnnxGraphContext graph, string layerName, int[] shape, string input, Func<string, string> emit)
    {
        if (shape.Length <= 1) return emit(input);
        var flat = graph.AddNode("Flatten", [input], graph.UniqueName($"{layerName}.flat"), $"{layerName}.flatten", OnnxAttribute.Int("axis", 1));
        var result = emit(flat);
        var dims = graph.AddInt64Constant($"{layerName}.shape", [-1L, .. shape.Select(d => (long)d)], [shape.Length + 1]);
        return graph.AddNode("Reshape", [result, dims], graph.UniqueName($"{layerName}.out"), $"{layerName}.reshape");
    }
}
