namespace DlBook.Export.Runtime;

/// <summary>An input given to Run does not fit the model: unknown or missing name, wrong element type or shape. The message names the input and the shape the model expects.</summary>
public sealed class OnnxInputException(string message) : OnnxRuntimeException(OnnxErrorCode.InvalidArgument, message);
