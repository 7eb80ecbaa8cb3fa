namespace DlBook.Trainers.Packaging;

/// <summary>A safetensors buffer is malformed (header length, JSON, dtype, offsets). The model package reader turns it into a <see cref="ModelFormatException"/> naming the file.</summary>
public sealed class SafeTensorsFormatException(string message) : Exception(message);
