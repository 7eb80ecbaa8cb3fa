namespace DlBook.Export.Runtime;

/// <summary>ORT's graph optimisation levels (GraphOptimizationLevel).</summary>
public enum OnnxGraphOptimizationLevel
{
    /// <summary>No optimisation.</summary>
    DisableAll = 0,
    /// <summary>Constant folding, redundant node removal.</summary>
    Basic = 1,
    /// <summary>Plus node fusions.</summary>
    Extended = 2,
    /// <summary>Everything, including layout optimisations (ORT's default).</summary>
    All = 99,
}
