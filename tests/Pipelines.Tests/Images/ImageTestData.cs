using DlBook.Pipelines.Images;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DlBook.Pipelines.Tests.Images;

/// <summary>Paths as a data view, and the pixel vectors our transform and ML.NET's image transforms give for them.</summary>
internal static class ImageTestData
{
    public sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    public static IDataView Paths(MLContext ml, IEnumerable<string> paths) =>
        ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }).ToList());

    public static List<float[]> Vectors(IDataView view, string column = "Features")
    {
        var col = view.Schema[column];
        var rows = new List<float[]>();
        using var cursor = view.GetRowCursor([col]);
        var get = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> v = default;
        while (cursor.MoveNext()) { get(ref v); rows.Add(v.DenseValues().ToArray()); }
        return rows;
    }

    public static (List<float[]> Rows, ImagePixelsTransformer Transformer) Ours(MLContext ml, IEnumerable<string> paths, ImagePixelsOptions options)
    {
        var input = Paths(ml, paths);
        var transformer = ml.Transforms.LoadImagePixels(options).Fit(input);
        return (Vectors(transformer.Transform(input), options.OutputColumnName), transformer);
    }

    /// <summary>ML.NET's LoadImages → ResizeImages → ExtractPixels with the same size, resizing and pixel options.</summary>
    public static List<float[]> MlNetPixels(MLContext ml, IEnumerable<string> paths, ImagePixelsOptions o)
    {
        var input = Paths(ml, paths);
        var order = o.ChannelOrder == ImageChannelOrder.Rgb ? ImagePixelExtractingEstimator.ColorsOrder.ARGB : ImagePixelExtractingEstimator.ColorsOrder.ABGR;
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null!, inputColumnName: "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", o.Width, o.Height, "Image", o.Resizing, o.CropAnchor))
            .Append(ml.Transforms.ExtractPixels(o.OutputColumnName, "Image", ImagePixelExtractingEstimator.ColorBits.Rgb, order,
                o.InterleavePixelColors, o.OffsetImage, o.ScaleImage));
        return Vectors(pipeline.Fit(input).Transform(input), o.OutputColumnName);
    }

    public static DataViewType MlNetType(MLContext ml, string path, ImagePixelsOptions o)
    {
        var input = Paths(ml, [path]);
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null!, inputColumnName: "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", o.Width, o.Height, "Image", o.Resizing, o.CropAnchor))
            .Append(ml.Transforms.ExtractPixels(o.OutputColumnName, "Image", interleavePixelColors: o.InterleavePixelColors));
        return pipeline.Fit(input).Transform(input).Schema[o.OutputColumnName].Type;
    }

    /// <summary>Mean and largest absolute difference over all values of all rows.</summary>
    public static (double Mean, double Max) Diff(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        Assert.Equal(a.Count, b.Count);
        double sum = 0, max = 0;
        long n = 0;
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Length, b[i].Length);
            for (int j = 0; j < a[i].Length; j++)
            {
                double d = Math.Abs(a[i][j] - b[i][j]);
                sum += d; n++;
                if (d > max) max = d;
            }
        }
        return (sum / n, max);
    }
}
