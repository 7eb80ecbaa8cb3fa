using DlBook.Export.Onnx;
using DlBook.Pipelines.MlNet;
using Microsoft.ML.Runtime;

// In ML.NET's namespace, as ML.NET's own extension packages declare theirs: `using Microsoft.ML;` finds it.
namespace Microsoft.ML;

/// <summary><c>mlContext.Model.ExportToOnnx(model, inputSchema, path)</c>: a whole fitted chain as one ONNX graph.</summary>
public static class OnnxModelOperationsExtensions
{
    /// <summary>
    /// Writes <paramref name="model"/> — a fitted chain holding a DlBook network — as an ONNX file whose inputs are the
    /// raw columns of <paramref name="inputSchema"/> that feed the network (Concatenate and affine normalisers written as
    /// nodes) and whose outputs are the network's columns (Score; Probability; PredictedLabel). The file is written to a
    /// temporary name and renamed. Unlike ML.NET's <c>ConvertToOnnx</c>, a step that cannot be written is an error
    /// naming it.
    /// </summary>
    /// <param name="catalog">The context's model catalog.</param>
    /// <param name="model">A fitted pipeline with a DlBook trainer.</param>
    /// <param name="inputSchema">The schema of the data the pipeline was fitted on.</param>
    /// <param name="path">Destination .onnx file.</param>
    /// <param name="opset">ai.onnx opset, 13–21 (default 17).</param>
    /// <exception cref="OnnxExportException">A step cannot be written, or the chain holds no DlBook network.</exception>
    public static OnnxExportInfo ExportToOnnx(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string path, int opset = OnnxExporter.DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var info = OnnxExporter.Export(model, inputSchema, path, new OnnxExportOptions { Opset = opset });
        var env = MlNetInternals.EnvironmentOf(catalog);
        using var ch = env.Start("OnnxExport");
        MlNetInternals.Send(ch, ChannelMessageKind.Info,
            $"Wrote {info.Path} (opset {info.Opset}, input {info.InputName}, outputs {string.Join(", ", info.Outputs)}, {info.FoldedSteps} normaliser(s) folded, {info.NodeCount} nodes).");
        return info;
    }
}
