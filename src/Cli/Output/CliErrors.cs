using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.DataSets;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Training;

namespace DlBook.Cli.Output;

/// <summary>Maps exceptions to exit codes and one-line reasons.</summary>
public static class CliErrors
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code for a failure inside the tool (a bug, an unexpected state).</summary>
    public const int Internal = 1;
    /// <summary>Exit code for bad input: a file, option, column or model the user gave.</summary>
    public const int BadInput = 2;
    /// <summary>Exit code for a failure of the environment: a native library, a provider, the network.</summary>
    public const int Environment = 3;
    /// <summary>Exit code when training diverged (non-finite loss).</summary>
    public const int Diverged = 4;

    /// <summary>The exit code for <paramref name="e"/> (or, for a reflection wrapper, for the exception it wraps).</summary>
    public static int ExitCodeFor(Exception e) => Unwrap(e) switch
    {
        OperationCanceledException => 130,
        TrainingDivergedException => Diverged,
        OnnxRuntimeNotFoundException or OnnxRuntimeProviderException or DllNotFoundException => Environment,
        DataSetException or SchemaException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
            or ArgumentException or FormatException or UnauthorizedAccessException => BadInput,
        DataFormatException or ModelFormatException or OnnxModelLoadException or OnnxInputException or OnnxExportException => BadInput,
        OnnxRuntimeException => Environment,
        IOException => BadInput,
        _ => Internal,
    };

    /// <summary>One line: the message of the exception (and of its innermost cause when it adds something).</summary>
    public static string Describe(Exception e)
    {
        var msg = e.Message.ReplaceLineEndings(" ")
            .Replace("or allow the CPU fallback", "or pass --fallback-to-cpu", StringComparison.Ordinal)
            .Replace("FallbackToCpu", "--fallback-to-cpu", StringComparison.Ordinal);
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        if (!ReferenceEquals(inner, e) && !msg.Contains(inner.Message, StringComparison.Ordinal))
            msg += $" ({inner.Message.ReplaceLineEndings(" ")})";
        return msg;
    }

    private static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
}
