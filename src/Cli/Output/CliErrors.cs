using System.Text.RegularExpressions;
using DlBook.Export.Runtime;
using DlBook.Export.Onnx;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.DataSets;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Training;

namespace DlBook.Cli.Output;

/// <summary>Maps exceptions to exit codes and one-line reasons.</summary>
public static partial class CliErrors
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
        DataSetNetworkException => Environment,
        OnnxRuntimeNotFoundException or OnnxRuntimeProviderException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException => Environment,
        DataSetException or SchemaException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
            or ArgumentException or FormatException or UnauthorizedAccessException => BadInput,
        DataFormatException or ModelFormatException or TrainingStateException or Pipelines.Images.ImageFolderException or ModelSaveException or SafeTensorsFormatException or OnnxExportException
            or OnnxModelLoadException or OnnxInputException => BadInput,
        OnnxRuntimeException => Environment,
        IOException => BadInput,
        _ => Internal,
    };

    /// <summary>
    /// One line: the message of the exception (and of its innermost cause when it adds something), without the
    /// parameter names .NET appends to argument exceptions.
    /// </summary>
    public static string Describe(Exception e)
    {
        e = Unwrap(e);
        // The trainer's advice names MlpOptions properties; on the command line they are flags.
        if (e is TrainingDivergedException d)
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Training diverged: the loss became {d.Loss} at epoch {d.Epoch}, step {d.Step}. Lower --lr (e.g. by 10x), clip gradients (--clip-norm 5), or normalise the inputs.");
        if (e is TrainingStateException { Option: { } option } ts)
            return $"--resume: the training state '{ts.Path}' was saved by a run with {FlagOf(option)} {Plain(ts.SavedValue)}; this run has {Plain(ts.CurrentValue)}. " +
                "Resume with the options of the run that saved it, or run without --resume to start over.";
        var msg = Clean(e.Message)
            .Replace("or allow the CPU fallback", "or pass --fallback-to-cpu", StringComparison.Ordinal);
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        if (!ReferenceEquals(inner, e) && !msg.Contains(Clean(inner.Message), StringComparison.Ordinal))
            msg += $" ({Clean(inner.Message)})";
        return msg;
    }

    // The trainer options a resumed run must repeat, by the flag of 'dlbook train mlp' that sets each.
    private static readonly Dictionary<string, string> Flags = new()
    {
        ["Epochs"] = "--epochs", ["BatchSize"] = "--batch-size", ["LearningRate"] = "--lr", ["L2"] = "--l2", ["Optimizer"] = "--optimizer",
        ["Momentum"] = "--momentum", ["Beta1"] = "--beta1", ["Beta2"] = "--beta2", ["WeightDecay"] = "--weight-decay",
        ["LearningRateSchedule"] = "--schedule", ["DecayRate"] = "--decay-rate", ["StepSize"] = "--step-size", ["Gamma"] = "--gamma",
        ["MinLearningRate"] = "--min-lr", ["GradientClipNorm"] = "--clip-norm", ["GradientClipValue"] = "--clip-value",
        ["EarlyStoppingPatience"] = "--patience", ["Seed"] = "--seed", ["TrainingRows"] = "--train-rows", ["ValidationRows"] = "--validation-rows",
        ["HiddenLayers"] = "--hidden", ["Network"] = "--hidden", ["Activation"] = "--activation", ["Cost"] = "--cost", ["Initializer"] = "--init",
        ["BiasInitializer"] = "--bias-init", ["Dropout"] = "--dropout", ["BatchNorm"] = "--batch-norm", ["MonitorGradients"] = "--monitor-gradients",
    };

    private static string FlagOf(string option) => Flags.TryGetValue(option, out var flag) ? flag : option;

    private static string Plain(string? json) => json is null ? "(none)" : json.Trim('"');

    /// <summary>
    /// Runs <paramref name="action"/> over the user's data; ML.NET's own exceptions for data that does not fit
    /// (a schema mismatch, a missing column, a value TextLoader cannot read) become bad input naming <paramref name="source"/>.
    /// </summary>
    public static T OnUserData<T>(string source, Func<T> action)
    {
        try { return action(); }
        catch (Exception e) when (IsMlNetDataError(e) || e is SchemaException)
        {
            // A schema that does not fit the model (a CSV of 782 columns, an IDX of 28 × 29 images) names the data too.
            throw new DataFormatException($"{source}: {Describe(e)}", e);
        }
    }

    private static bool IsMlNetDataError(Exception e) =>
        e is ArgumentOutOfRangeException or FormatException or InvalidOperationException or ArgumentException
        && e.Source?.StartsWith("Microsoft.ML", StringComparison.Ordinal) == true;

    private static string Clean(string message) =>
        ActualValue().Replace(ParameterName().Replace(message.ReplaceLineEndings(" "), ""), "").Trim();

    [GeneratedRegex(@" \(Parameter '[^']*'\)")]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"\s*Actual value was [^ ]*\.?$")]
    private static partial Regex ActualValue();

    // ML.NET wraps what a data view's reader throws (in a TargetInvocationException, or an InvalidOperationException
    // "Splitter/consolidator worker encountered exception while consuming source data"): the first of our own typed
    // exceptions in the chain is the one that names the file and says what to do.
    private static Exception Unwrap(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x.GetType().Namespace?.StartsWith("DlBook.", StringComparison.Ordinal) == true) return x;
            // Only through wrappers: an exception of ours that names the flag (ArgumentException("--prime: …", inner)) stays.
            if (x is not (System.Reflection.TargetInvocationException or InvalidOperationException or AggregateException)) break;
        }
        return e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
    }
}
