namespace DlBook.Export.Onnx;

/// <summary>
/// A model cannot be written as ONNX: an unsupported opset, a layer kind without an ONNX mapping,
/// a pipeline step that cannot be folded, or an incomplete layer description. The message names the
/// layer or step and says what to change.
/// </summary>
public sealed class OnnxExportException(string message) : Exception(message);
