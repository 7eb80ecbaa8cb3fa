using System.Globalization;

namespace DlBook.Engine.Diagnostics;

/// <summary>Flags vanishing and exploding gradients from <see cref="LearningSpeed"/> measurements.</summary>
public static class GradientHealth
{
    /// <summary>
    /// Vanishing: the first hidden layer's ‖∂C/∂b‖ is below <see cref="GradientHealthOptions.VanishingRatio"/> times
    /// the last hidden layer's. Exploding: a norm is non-finite, above <see cref="GradientHealthOptions.ExplodingNorm"/>,
    /// or more than <see cref="GradientHealthOptions.GrowthFactor"/> times the same layer's norm in <paramref name="previous"/>
    /// and at least <see cref="GradientHealthOptions.GrowthFloor"/>.
    /// </summary>
    public static GradientHealthReport Assess(IReadOnlyList<LayerLearningSpeed> current,
        IReadOnlyList<LayerLearningSpeed>? previous = null, GradientHealthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        options ??= new GradientHealthOptions();
        var warnings = new List<string>();
        bool vanishing = false, exploding = false;
        double? ratio = null;
        // A layer without a bias is judged by its weights alone.
        static bool NoBias(LayerLearningSpeed n) => !n.HasBias;
        var hidden = current.Where(n => n.IsHidden && !NoBias(n)).ToList();
        if (hidden.Count >= 2)
        {
            var first = hidden[0];
            var last = hidden[^1];
            ratio = first.BiasGradientNorm / last.BiasGradientNorm;
            if (double.IsFinite(ratio.Value) && ratio.Value < options.VanishingRatio)
            {
                vanishing = true;
                warnings.Add(F($"Vanishing gradient: layer '{first.Layer}' learns {ratio.Value:G3}× as fast as '{last.Layer}' ") +
                    F($"(‖∂C/∂b‖ {first.BiasGradientNorm:G3} vs {last.BiasGradientNorm:G3}; threshold {options.VanishingRatio:G3}). ") +
                    "Consider ReLU activations, batch normalisation, a different initialiser or fewer layers.");
            }
        }
        foreach (var n in current)
        {
            foreach (var (what, value, before) in new[]
            {
                ("‖∂C/∂b‖", n.BiasGradientNorm, previous?.FirstOrDefault(p => p.Layer == n.Layer)?.BiasGradientNorm),
                ("‖∂C/∂W‖", n.WeightGradientNorm, previous?.FirstOrDefault(p => p.Layer == n.Layer)?.WeightGradientNorm),
            })
            {
                if (what == "‖∂C/∂b‖" && NoBias(n)) continue;
                if (!double.IsFinite(value))
                {
                    exploding = true;
                    warnings.Add(F($"Exploding gradient: layer '{n.Layer}' has a non-finite {what} ({value}). Lower the learning rate or clip gradients."));
                }
                else if (value > options.ExplodingNorm)
                {
                    exploding = true;
                    warnings.Add(F($"Exploding gradient: layer '{n.Layer}' has {what} = {value:G3} (threshold {options.ExplodingNorm:G3}). Lower the learning rate or clip gradients."));
                }
                else if (before is double b && b > 0 && value > options.GrowthFactor * b && value >= options.GrowthFloor)
                {
                    exploding = true;
                    warnings.Add(F($"Exploding gradient: layer '{n.Layer}' {what} grew {value / b:G3}× since the last measurement ({b:G3} → {value:G3}). Lower the learning rate or clip gradients."));
                }
            }
        }
        return new GradientHealthReport(ratio, vanishing, exploding, warnings);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
