namespace DlBook.Pipelines.Core;

/// <summary>A sequence of transformers applied in order (what Fit of an appended pipeline returns). Export and save walk it.</summary>
public interface ITransformerChain : ITransformer
{
    /// <summary>The steps, first to last.</summary>
    IReadOnlyList<ITransformer> Transformers { get; }
}
