namespace DlBook.Export.Runtime;

/// <summary>The ONNX Runtime native library (libonnxruntime) could not be found or loaded; the message lists where it looked and what to install or set.</summary>
public sealed class OnnxRuntimeNotFoundException(string message) : Exception(message);
