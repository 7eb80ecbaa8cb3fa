using DlBook.Pipelines.Catalogs;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Export.Onnx;

/// <summary>ONNX export on <c>ctx.Model</c>.</summary>
public static class OnnxModelOperationsExtensions
{
    /// <summary>
    /// Writes <paramref name="model"/> as an ONNX file whose input is the raw feature column of
    /// <paramref name="inputSchema"/> (normalisers folded in) and whose outputs are Score and, for
    /// classifiers, PredictedLabel. The file is written to a temporary name and renamed.
    /// </summary>
    /// <param name="catalog">The context's model catalog.</param>
    /// <param name="model">A fitted pipeline ending in a trained network.</param>
    /// <param name="inputSchema">The schema of the data the pipeline was fitted on.</param>
    /// <param name="path">Destination .onnx file.</param>
    /// <param name="opset">ai.onnx opset, 13–21 (default 17).</param>
    public static OnnxExportInfo ExportToOnnx(this ModelOperationsCatalog catalog, ITransformer model, DataSchema inputSchema, string path, int opset = OnnxExporter.DefaultOpset)
    {
        var info = OnnxExporter.Export(model, inputSchema, path, new OnnxExportOptions { Opset = opset });
        catalog.Context.WriteLog(LogLevel.Info, "OnnxExport",
            $"Wrote {info.Path} (opset {info.Opset}, input {info.InputName}[{string.Join(",", info.InputShape)}], outputs {string.Join(", ", info.Outputs)}, {info.FoldedSteps} normaliser(s) folded, {info.NodeCount} nodes).");
        return info;
    }
}
