namespace DlBook.Trainers;

/// <summary>The cost a classifier is trained with (regression always uses the quadratic cost on a linear output).</summary>
public enum Cost
{
    /// <summary>Cross-entropy on sigmoid outputs (the book's network2 default; one sigmoid per class).</summary>
    CrossEntropy,
    /// <summary>Quadratic cost on sigmoid outputs (the book's network.py).</summary>
    Quadratic,
    /// <summary>Softmax outputs with the log-likelihood cost (chapter 33).</summary>
    SoftmaxCrossEntropy,
}
