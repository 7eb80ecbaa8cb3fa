namespace DlBook.Engine.Layers;

/// <summary>
/// A layer that honours per-row sequence lengths of right-padded batches (ONNX <c>sequence_lens</c> semantics):
/// steps t ≥ length produce zero output, the state is frozen there, the last state is h at t = length − 1 and no
/// gradient flows from padded steps. <see cref="Networks.Sequential.SetSequenceLengths"/> forwards to every such layer.
/// </summary>
public interface ISequenceLengthAware
{
    /// <summary>
    /// Sets the length of each row of the next batches (0 ≤ length ≤ T; one entry per row). An empty span clears
    /// them: every row is then full length. The lengths stay in force until changed; a batch whose row count
    /// differs from the lengths' count is rejected by Forward.
    /// </summary>
    void SetLengths(ReadOnlySpan<int> lengths);
}
