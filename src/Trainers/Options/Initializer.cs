namespace DlBook.Trainers;

/// <summary>How weights (or biases) are drawn at the start of training.</summary>
public enum Initializer
{
    /// <summary>N(0, 1): the book's "large" initialisation that saturates sigmoid neurons (chapter 25).</summary>
    StandardNormal,
    /// <summary>N(0, 1/n_in): the book's default for weights.</summary>
    Normal1OverFanIn,
    /// <summary>U(−0.05, 0.05).</summary>
    Uniform,
    /// <summary>Glorot/Xavier normal, N(0, 2/(n_in+n_out)).</summary>
    GlorotNormal,
    /// <summary>Glorot/Xavier uniform (Keras' default).</summary>
    GlorotUniform,
    /// <summary>He normal, N(0, 2/n_in) (for ReLU).</summary>
    HeNormal,
    /// <summary>He uniform (for ReLU).</summary>
    HeUniform,
    /// <summary>LeCun normal, N(0, 1/n_in).</summary>
    LecunNormal,
    /// <summary>LeCun uniform.</summary>
    LecunUniform,
    /// <summary>All zeros (biases).</summary>
    Zeros,
    /// <summary>A random orthogonal matrix (Saxe et al. 2014): the recurrent weights' default.</summary>
    Orthogonal,
}
