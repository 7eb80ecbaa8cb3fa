namespace DlBook.Export.Serving;

/// <summary>What <see cref="TritonPackager"/> wrote.</summary>
/// <param name="ModelDirectory">&lt;repository&gt;/&lt;name&gt;.</param>
/// <param name="ModelPath">&lt;repository&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx.</param>
/// <param name="ConfigPath">&lt;repository&gt;/&lt;name&gt;/config.pbtxt.</param>
/// <param name="Config">The text of config.pbtxt.</param>
public sealed record TritonPackage(string ModelDirectory, string ModelPath, string ConfigPath, string Config);
