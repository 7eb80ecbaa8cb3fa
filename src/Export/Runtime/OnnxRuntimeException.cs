namespace DlBook.Export.Runtime;

/// <summary>ONNX Runtime reported an error; <see cref="Code"/> and the message are ORT's, prefixed with what was being done.</summary>
public class OnnxRuntimeException(OnnxErrorCode code, string message) : Exception(message)
{
    /// <summary>ORT's error code.</summary>
    public OnnxErrorCode Code { get; } = code;
}
