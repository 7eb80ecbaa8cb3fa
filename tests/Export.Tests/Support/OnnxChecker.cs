using System.Diagnostics;

namespace DlBook.Export.Tests.Support;

/// <summary>Runs Debian's python3-onnx checker (full_check=True) on a file; returns its exit code and output.</summary>
internal static class OnnxChecker
{
    public const string Python = "/usr/bin/python3";

    public static (int ExitCode, string Output) Check(string path)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} is missing; run 'bash scripts/setup.sh' (installs python3-onnx).");
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import sys, onnx; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print('ok', m.opset_import[0].version)");
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}
