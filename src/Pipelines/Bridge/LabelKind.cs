namespace DlBook.Pipelines.Bridge;

/// <summary>How the bridge reads the label column.</summary>
public enum LabelKind
{
    /// <summary>No label (scoring).</summary>
    None,
    /// <summary>A key (multiclass): key k becomes class k − 1; key 0 (missing) skips the row.</summary>
    Key,
    /// <summary>Binary: a Boolean, a two-valued key, or a Single that is 0 or 1 (NaN skips the row).</summary>
    Binary,
    /// <summary>A Single target (regression); NaN skips the row.</summary>
    Single,
}
