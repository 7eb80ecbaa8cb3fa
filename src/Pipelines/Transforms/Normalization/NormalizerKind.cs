namespace DlBook.Pipelines.Transforms.Normalization;

/// <summary>How a normaliser derives its per-element offset and scale.</summary>
public enum NormalizerKind
{
    /// <summary>Offset = min, scale = 1/(max − min): training values map to [0, 1]; a constant element gets scale 1 (maps to 0).</summary>
    MinMax,
    /// <summary>Offset = mean, scale = 1/σ (population σ): zero mean, unit variance; σ below 1e-6 gets scale 1.</summary>
    MeanVariance,
    /// <summary>Fixed offset and scale given by the user (e.g. pixel scaling); nothing is learnt.</summary>
    Scale,
}
