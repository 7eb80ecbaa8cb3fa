using DlBook.Engine.Tensors;

namespace DlBook.Engine.Losses;

/// <summary>Shape checks shared by the losses.</summary>
internal static class LossChecks
{
    /// <summary>Checks z against the targets and shapes the gradient like z (allocating only when the shape changes).</summary>
    public static void Prepare(string loss, Tensor logits, Tensor targets, Tensor gradient)
    {
        if (logits.Rank != 2 && logits.Rank != 1)
            throw new ArgumentException($"{loss}: logits must be [batch, outputs]; got {logits.ShapeString}.");
        if (targets.Length != logits.Length || targets.Rows != logits.Rows)
            throw new ArgumentException(
                $"{loss}: targets {targets.ShapeString} do not match the network's outputs {logits.ShapeString}. " +
                "Classification targets must be one-hot with one column per class.");
        if (gradient.Rank == logits.Rank && gradient.Length == logits.Length && gradient.Rows == logits.Rows) return;
        gradient.Resize(logits.ShapeArray);
    }

    /// <summary>Outputs per sample of [batch, outputs] logits.</summary>
    public static int Outputs(Tensor logits) => logits.Rank == 1 ? 1 : logits.Dim(1);
}
