namespace DlBook.Export.Runtime;

/// <summary>A requested execution provider (CUDA) cannot be used by the loaded ONNX Runtime, and CPU fallback was not allowed.</summary>
public sealed class OnnxRuntimeProviderException(OnnxErrorCode code, string message) : OnnxRuntimeException(code, message);
