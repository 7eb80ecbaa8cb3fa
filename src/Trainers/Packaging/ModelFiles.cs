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
    /// ML.NET model zip gets a <see cref="ModelFormatException"/> naming it.
    /// </summary>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist. Train one with `dlbook train` or mlContext.Model.Save.", path);
        mlContext.RegisterDlBook();
        try
        {
            using var stream = File.OpenRead(path);
            return mlContext.Model.Load(stream, out inputSchema);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.IO.InvalidDataException or InvalidOperationException or ArgumentException
                                      or EndOfStreamException or NotSupportedException)
        {
            throw new ModelFormatException(path, $"it is not an ML.NET model zip that this version can read ({e.Message})",
                "Pass a model saved with mlContext.Model.Save or `dlbook train`.", e);
        }
    }
}
