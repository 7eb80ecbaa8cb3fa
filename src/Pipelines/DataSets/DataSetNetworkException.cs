namespace DlBook.Pipelines.DataSets;

/// <summary>
/// A download failed because of the environment — the host name does not resolve, the connection is refused or times
/// out — not because of what the user asked for. The message names the address and says what to check.
/// </summary>
public sealed class DataSetNetworkException : Exception
{
    /// <summary>Creates the exception with its cause.</summary>
    public DataSetNetworkException(string message, Exception inner) : base(message, inner) { }
}
