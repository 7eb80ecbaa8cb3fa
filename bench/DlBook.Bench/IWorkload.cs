namespace DlBook.Bench;

/// <summary>One named benchmark workload (gemm, mlp, onnx...), run by the dispatcher in <see cref="Program"/>.</summary>
public interface IWorkload
{
    /// <summary>The name given on the command line.</summary>
    string Name { get; }

    /// <summary>Measures the workload and adds its rows to the report.</summary>
    void Run(BenchOptions options, BenchReport report);
}
