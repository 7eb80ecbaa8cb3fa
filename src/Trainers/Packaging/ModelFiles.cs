using DlBook.Pipelines.IO;
using Microsoft.ML;

namespace DlBook.Trainers.Packaging;

/// <summary>ML.NET model zips written through a temporary name and renamed, so no reader ever sees half a file.</summary>
public static class ModelFiles
{
    /// <summary><c>mlContext.Model.Save</c>, atomically: a failure leaves the previous file (or none) at <paramref name="path"/>.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema? inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream => mlContext.Model.Save(model, inputSchema, stream));
    }

    /// <summary>
    /// <c>mlContext.Model.Load</c> of a zip that may hold DlBook networks (registers them first); a file that is not an
    /// ML.NET model zip, or whose entries break <paramref name="limits"/> (default <see cref="ModelArchiveLimits.Default"/>:
    /// a zip bomb, a name outside the archive), gets a <see cref="ModelFormatException"/> naming it, before ML.NET extracts anything.
    /// </summary>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema, ModelArchiveLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist. Train one with `dlbook train` or mlContext.Model.Save.", path);
        (limits ?? ModelArchiveLimits.Default).Check(path);
        mlContext.RegisterDlBook();
        try
        {
            using var stream = File.OpenRead(path);
            return mlContext.Model.Load(stream, out inputSchema);
        }
        catch (Exception e) when (Unwrap(e) is ModelFormatException inner && inner.Path != path)
        {
            // A component's loader knows only that it reads "an ML.NET model zip": name the file.
            throw new ModelFormatException(path, inner.Problem, inner.Remedy, inner);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not ModelFormatException)
        {
            throw new ModelFormatException(path, $"it is not an ML.NET model zip that this version can read ({e.InnerException?.Message ?? e.Message})",
                "Pass a model saved with mlContext.Model.Save or `dlbook train`.", e.InnerException ?? e);
        }
        // IOException: EndOfStreamException, and the FileLoadException of a damaged loader assembly name in a header.
        catch (Exception e) when (e is FormatException or InvalidDataException or System.IO.InvalidDataException or InvalidOperationException or ArgumentException
                                      or IOException or NotSupportedException)
        {
            throw new ModelFormatException(path, $"it is not an ML.NET model zip that this version can read ({e.Message})",
                "Pass a model saved with mlContext.Model.Save or `dlbook train`.", e);
        }
    }

    private static Exception Unwrap(Exception e) => e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) : e;
}
