namespace DlBook.Engine.Layers;

/// <summary>The name and shape of one learnable tensor of a layer (e.g. "W" [out, in], "b" [out]).</summary>
/// <param name="Name">Name unique within the layer.</param>
/// <param name="Shape">Row-major shape.</param>
public sealed record ParameterSpec(string Name, int[] Shape);
