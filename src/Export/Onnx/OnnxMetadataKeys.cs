namespace DlBook.Export.Onnx;

/// <summary>The keys DlBook writes in an ONNX model's metadata_props, so a consumer can rebuild the pipeline around it.</summary>
public static class OnnxMetadataKeys
{
    /// <summary>"DlBook.MLNet".</summary>
    public const string Producer = "producer";
    /// <summary>Version of DlBook.MLNet that wrote the file.</summary>
    public const string Version = "version";
    /// <summary>"MulticlassClassification", "BinaryClassification" or "Regression".</summary>
    public const string Task = "task";
    /// <summary>JSON array of class names, index i ↔ output i (absent for regression).</summary>
    public const string LabelNames = "label_names";
    /// <summary>The graph input's name (the raw feature column).</summary>
    public const string FeatureColumn = "feature_column";
    /// <summary>Layout of the input, e.g. "float32[batch,784] row-major".</summary>
    public const string InputLayout = "input_layout";
    /// <summary>JSON array, the per-sample input shape.</summary>
    public const string InputShape = "input_shape";
    /// <summary>Image height,width,channels when the input comes from images; "none" otherwise.</summary>
    public const string ImageSize = "image_size";
    /// <summary>
    /// How the graph's pixel input is made from an image file, when the exported chain started from an image path: JSON
    /// with imagePathColumn, pixelColumn, width, height, resizing, cropAnchor, channelOrder, interleavePixelColors,
    /// offsetImage, scaleImage and scaledDecode (the settings of LoadImagePixels; scaledDecode absent means true, as
    /// files written before it was added decoded). <c>OnnxImageScorer</c> and <c>dlbook score --images</c> decode with them.
    /// </summary>
    public const string ImageDecoder = "image_decoder";
    /// <summary>JSON array describing the affine preprocessing folded into the graph (offset, scale summary per step).</summary>
    public const string Preprocessing = "preprocessing";
    /// <summary>What the PredictedLabel output holds: "class index (key - 1)", "label value" or "bool".</summary>
    public const string PredictedLabel = "predicted_label";
    /// <summary>
    /// Present when the graph has recurrent layers: describes the optional int32 [batch] input of per-row sequence
    /// lengths (<see cref="OnnxExporter.SequenceLengthsInput"/>, "SequenceLengths"), its default (every row full
    /// length) and what happens past a row's length.
    /// </summary>
    public const string SequenceLengths = "sequence_lengths";
    /// <summary>Activation producing Score (Softmax, Sigmoid, Identity).</summary>
    public const string ScoreActivation = "score_activation";
}
