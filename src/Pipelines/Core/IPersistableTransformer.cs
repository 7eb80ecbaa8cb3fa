namespace DlBook.Pipelines.Core;

/// <summary>
/// A transformer that can be written into a model package and read back. Its
/// <see cref="Kind"/> names the loader registered in <see cref="TransformerRegistry"/>.
/// (ML.NET keeps this machinery internal, so custom components cannot persist; ours is public.)
/// </summary>
public interface IPersistableTransformer : ITransformer
{
    /// <summary>Registry key, e.g. "NormalizeMeanVariance" or "Mlp".</summary>
    string Kind { get; }

    /// <summary>Writes settings and tensors into <paramref name="context"/>.</summary>
    void Save(TransformerSaveContext context);
}
