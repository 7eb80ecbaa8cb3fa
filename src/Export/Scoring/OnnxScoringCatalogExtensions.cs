using DlBook.Export.Runtime;
using DlBook.Pipelines.MlNet;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Onnx;

// In ML.NET's namespace, as ML.NET's own extension packages declare theirs: `using Microsoft.ML;` finds it.
namespace Microsoft.ML;

/// <summary>ML.NET's <c>ApplyOnnxModel</c> with a CPU fallback that works on the CPU build of ONNX Runtime.</summary>
public static class OnnxScoringCatalogExtensions
{
    /// <summary>
    /// ML.NET's <c>ApplyOnnxModel(outputColumnNames, inputColumnNames, modelFile, gpuDeviceId, fallbackToCpu)</c>, except
    /// that <paramref name="fallbackToCpu"/> also covers the CPU package of ONNX Runtime: there ML.NET 6's own fallback
    /// does not apply (the CUDA entry point is missing, an <c>EntryPointNotFoundException</c> ML.NET does not catch), so
    /// the GPU is probed first and, when it cannot be used, the model runs on CPU with a warning in <c>MLContext.Log</c>.
    /// </summary>
    public static OnnxScoringEstimator ApplyDlBookOnnxModel(this TransformsCatalog catalog, string[] outputColumnNames, string[] inputColumnNames,
        string modelFile, int? gpuDeviceId = null, bool fallbackToCpu = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (gpuDeviceId is int device && !OnnxSession.CudaAvailable(device, out var reason))
        {
            if (!fallbackToCpu)
                throw new OnnxRuntimeProviderException(OnnxErrorCode.EpFail, $"CUDA device {device} cannot be used by this ONNX Runtime ({reason}). {OnnxSession.CudaRequirements}");
            using var ch = MlNetInternals.EnvironmentOf(catalog).Start("OnnxScoring");
            MlNetInternals.Send(ch, ChannelMessageKind.Warning, $"CUDA device {device} cannot be used ({reason}); '{modelFile}' runs on CPU.");
            gpuDeviceId = null;
        }
        return catalog.ApplyOnnxModel(outputColumnNames, inputColumnNames, modelFile, gpuDeviceId, fallbackToCpu);
    }
}
