namespace DlBook.Pipelines.Images;

/// <summary>
/// Lists the images of <c>&lt;root&gt;/&lt;class&gt;/*.{jpg,jpeg,png}</c> roots in a fixed order: by class name (ordinal),
/// then by root in the order given, then by file name (ordinal). Only the class folders' own files are taken (no
/// deeper folders); files with other endings are left out.
/// </summary>
internal static class ImageFolder
{
    public static List<(string Path, string Label)> List(ImageFolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Roots is null || options.Roots.Count == 0)
            throw new ArgumentException("Give at least one image folder root (a folder holding one folder per class, e.g. train/ with cats/ and dogs/).", nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.ImagePathColumnName);
        ArgumentException.ThrowIfNullOrEmpty(options.LabelColumnName);
        if (options.ImagePathColumnName == options.LabelColumnName)
            throw new ArgumentException($"The path and label columns are both named '{options.LabelColumnName}': give them different names.", nameof(options));
        var extensions = (options.Extensions ?? []).Select(e => e.StartsWith('.') ? e : "." + e).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (extensions.Count == 0)
            throw new ArgumentException("Give at least one image file ending (e.g. .jpg).", nameof(options));

        var rows = new List<(string Path, string Label, int Root)>();
        for (int r = 0; r < options.Roots.Count; r++)
        {
            var root = options.Roots[r];
            ArgumentException.ThrowIfNullOrEmpty(root, nameof(options.Roots));
            var full = Path.GetFullPath(root);
            if (!Directory.Exists(full))
                throw new ImageFolderException(full, "the image folder does not exist.",
                    "Give a folder holding one folder per class (e.g. train/ with cats/ and dogs/); check the path and the current directory.");
            var classes = Directory.GetDirectories(full);
            if (classes.Length == 0)
                throw new ImageFolderException(full, "the image folder has no class folders.",
                    "Lay the images out as <root>/<class>/<file>.jpg: the name of each subfolder is the label of its images.");
            int before = rows.Count;
            foreach (var classDir in classes)
            {
                var label = Path.GetFileName(classDir);
                foreach (var file in Directory.EnumerateFiles(classDir))
                    if (extensions.Contains(Path.GetExtension(file)))
                        rows.Add((file, label, r));
            }
            if (rows.Count == before)
                throw new ImageFolderException(full, $"none of its {classes.Length} class folders holds an image ({string.Join(", ", extensions.Order(StringComparer.Ordinal))}).",
                    "Put the images in <root>/<class>/ (one folder per class, not deeper), or give the endings with ImageFolderOptions.Extensions.");
        }
        rows.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(a.Label, b.Label);
            if (c != 0) return c;
            c = a.Root.CompareTo(b.Root);
            return c != 0 ? c : string.CompareOrdinal(Path.GetFileName(a.Path), Path.GetFileName(b.Path));
        });
        return rows.Select(x => (x.Path, x.Label)).ToList();
    }
}
