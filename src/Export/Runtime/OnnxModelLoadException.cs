namespace DlBook.Export.Runtime;

/// <summary>A model file could not be loaded (missing, not ONNX, truncated, or using operators the runtime lacks); the message names the file.</summary>
public sealed class OnnxModelLoadException(OnnxErrorCode code, string message) : OnnxRuntimeException(code, message);
