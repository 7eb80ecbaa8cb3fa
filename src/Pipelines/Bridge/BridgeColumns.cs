namespace DlBook.Pipelines.Bridge;

/// <summary>Which columns the bridge reads, and how.</summary>
/// <param name="Feature">The feature column: a known-size vector of Single (dense or sparse).</param>
/// <param name="Label">The label column, or null.</param>
/// <param name="Kind">How the label is read.</param>
/// <param name="Reader">Who reads (named in messages, e.g. "The MLP").</param>
public sealed record BridgeColumns(string Feature, string? Label, LabelKind Kind, string Reader = "The trainer");
