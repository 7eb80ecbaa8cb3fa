using DlBook.Trainers.Options;

namespace DlBook.Trainers.Mlp;

/// <summary>Reads an MLP preset (models/book-mlp.json): see <see cref="Presets"/>.</summary>
public static class MlpPreset
{
    /// <summary>The options of the preset at <paramref name="path"/>, with <paramref name="variant"/>'s overrides applied when given.</summary>
    /// <exception cref="InvalidDataException">Not JSON, no "options", an unknown option or variant; the message names the file.</exception>
    public static MlpOptions Load(string path, string? variant = null) => Presets.Load<MlpOptions>(path, variant);
}
