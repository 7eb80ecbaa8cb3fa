using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// A layer with an explicit forward and backward pass (no tape). Layers own their output and
/// input-gradient buffers and reuse them across steps; the returned tensors are valid until the
/// next call.
/// </summary>
public interface ILayer
{
    /// <summary>The layer's description (kind, settings, parameter shapes, per-sample shapes).</summary>
    LayerSpec Spec { get; }

    /// <summary>Learnable tensors and state, in the order of <see cref="LayerSpec.Parameters"/>.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Forward pass. x: [batch, ..InputShape] → y: [batch, ..OutputShape].</summary>
    /// <param name="input">The batch.</param>
    /// <param name="training">True while training (dropout active, batch-norm uses batch statistics).</param>
    Tensor Forward(Tensor input, bool training);

    /// <summary>
    /// Backward pass for the last <see cref="Forward"/>: given ∂C/∂y, writes each parameter's
    /// gradient (overwriting) and returns ∂C/∂x.
    /// </summary>
    Tensor Backward(Tensor outputGradient);
}
