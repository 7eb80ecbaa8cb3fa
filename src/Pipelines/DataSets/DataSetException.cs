namespace DlBook.Pipelines.DataSets;

/// <summary>A data set is missing, incomplete, corrupt or could not be fetched. The message says which file and what to do.</summary>
public sealed class DataSetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataSetException(string message) : base(message) { }
    /// <summary>Creates the exception with a cause.</summary>
    public DataSetException(string message, Exception inner) : base(message, inner) { }
}
