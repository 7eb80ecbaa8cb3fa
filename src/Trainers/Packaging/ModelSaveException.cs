namespace DlBook.Trainers.Packaging;

/// <summary>
/// A model cannot be saved, e.g. because one step of the chain is not persistable. Nothing is
/// written (an existing file at the target path is kept).
/// </summary>
public sealed class ModelSaveException(string message, Exception? inner = null) : Exception(message, inner);
