using System.Runtime.CompilerServices;
using DlBook.Pipelines.Catalogs;
using DlBook.Pipelines.Core;

namespace DlBook.Export.Scoring;

/// <summary><c>ctx.Transforms.ApplyOnnxModel(...)</c>, with ML.NET's overloads.</summary>
public static class OnnxTransformsCatalogExtensions
{
    /// <summary>Registers the persisted kind of <see cref="OnnxScoringTransformer"/> when the assembly loads.</summary>
    // The registry is how model packages find loaders; a module initialiser is the documented way for an assembly to join it.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterKinds() => TransformerRegistry.Register(OnnxScoringTransformer.TransformerKind, OnnxScoringTransformer.Load);

    /// <summary>Scores with an ONNX model: columns named as the model inputs go in, columns named as its outputs come out.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelFile">The .onnx file.</param>
    /// <param name="outputColumnNames">Outputs to add; null for all.</param>
    /// <param name="inputColumnNames">Inputs to feed; null for all.</param>
    /// <param name="gpuDeviceId">CUDA device; null uses the context's GpuDeviceId (CPU when null).</param>
    /// <param name="fallbackToCpu">Run on CPU with a warning when CUDA cannot be used.</param>
    public static OnnxScoringEstimator ApplyOnnxModel(this TransformsCatalog catalog, string modelFile,
        string[]? outputColumnNames = null, string[]? inputColumnNames = null, int? gpuDeviceId = null, bool fallbackToCpu = false) =>
        catalog.ApplyOnnxModel(new OnnxScoringOptions
        {
            ModelFile = modelFile, OutputColumns = outputColumnNames, InputColumns = inputColumnNames,
            GpuDeviceId = gpuDeviceId, FallbackToCpu = fallbackToCpu,
        });

    /// <summary>Scores with an ONNX model on a GPU device (ML.NET's <c>ApplyOnnxModel(modelFile, gpuDeviceId, fallbackToCpu)</c>).</summary>
    public static OnnxScoringEstimator ApplyOnnxModel(this TransformsCatalog catalog, string modelFile, int? gpuDeviceId, bool fallbackToCpu = false) =>
        catalog.ApplyOnnxModel(new OnnxScoringOptions { ModelFile = modelFile, GpuDeviceId = gpuDeviceId, FallbackToCpu = fallbackToCpu });

    /// <summary>Scores with a single-input, single-output use of an ONNX model (ML.NET's <c>ApplyOnnxModel(outputColumnName, inputColumnName, modelFile, …)</c>).</summary>
    public static OnnxScoringEstimator ApplyOnnxModel(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, string modelFile,
        int? gpuDeviceId = null, bool fallbackToCpu = false) =>
        catalog.ApplyOnnxModel(new OnnxScoringOptions
        {
            ModelFile = modelFile, OutputColumns = [outputColumnName], InputColumns = [inputColumnName],
            GpuDeviceId = gpuDeviceId, FallbackToCpu = fallbackToCpu,
        });

    /// <summary>Scores with an ONNX model, every setting explicit (ML.NET's <c>ApplyOnnxModel(OnnxOptions)</c>).</summary>
    public static OnnxScoringEstimator ApplyOnnxModel(this TransformsCatalog catalog, OnnxScoringOptions options) =>
        new(catalog.Context, options);
}
