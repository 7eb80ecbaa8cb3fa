namespace DlBook.Pipelines.Data;

/// <summary>A column is missing or has the wrong type for the step that reads it.</summary>
public sealed class SchemaException(string message) : Exception(message);
