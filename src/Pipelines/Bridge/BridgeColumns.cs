namespace DlBook.Pipelines.Bridge;

/// <summary>Which columns the bridge reads, and how.</summary>
/// <param name="Feature">The feature column: a known-size vector of Single (dense or sparse), or, with <paramref name="SequenceLength"/>, token ids.</param>
/// <param name="Label">The label column, or null.</param>
/// <param name="Kind">How the label is read.</param>
/// <param name="Reader">Who reads (named in messages, e.g. "The MLP").</param>
/// <param name="SequenceLength">
/// When set, the feature column holds token ids — a vector of keys (as <c>MapValueToKey</c> makes of
/// <c>TokenizeIntoWords</c>' output) or of Single ids, of any length — read as exactly this many ids (see
/// <see cref="TokenSequences"/>).
/// </param>
public sealed record BridgeColumns(string Feature, string? Label, LabelKind Kind, string Reader = "The trainer", int? SequenceLength = null);
