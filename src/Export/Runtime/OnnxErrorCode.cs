namespace DlBook.Export.Runtime;

/// <summary>ONNX Runtime's error codes (OrtErrorCode), plus codes of this binding's own checks.</summary>
public enum OnnxErrorCode
{
    /// <summary>No error.</summary>
    Ok = 0,
    /// <summary>General failure.</summary>
    Fail = 1,
    /// <summary>Invalid argument.</summary>
    InvalidArgument = 2,
    /// <summary>File not found.</summary>
    NoSuchFile = 3,
    /// <summary>No model.</summary>
    NoModel = 4,
    /// <summary>Engine error.</summary>
    EngineError = 5,
    /// <summary>Runtime exception.</summary>
    RuntimeException = 6,
    /// <summary>The file is not a valid ONNX protobuf (not ONNX, or truncated).</summary>
    InvalidProtobuf = 7,
    /// <summary>Model already loaded.</summary>
    ModelLoaded = 8,
    /// <summary>Not implemented (e.g. an operator the build lacks).</summary>
    NotImplemented = 9,
    /// <summary>The graph is invalid.</summary>
    InvalidGraph = 10,
    /// <summary>An execution provider failed.</summary>
    EpFail = 11,
}
