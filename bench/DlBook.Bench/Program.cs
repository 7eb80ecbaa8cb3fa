namespace DlBook.Bench;

/// <summary>
/// Benchmark entry point: <c>dotnet run -c Release --project bench/DlBook.Bench -- gemm|mlp|onnx|rnn|cnn|images|all [options]</c>.
/// Each workload lives in its own class implementing <see cref="IWorkload"/>; add new ones to <see cref="Workloads"/>.
/// </summary>
public static class Program
{
    /// <summary>Every workload the dispatcher knows, by name.</summary>
    private static readonly IWorkload[] Workloads = [new GemmWorkload(), new MlpWorkload(), new OnnxScoringWorkload(), new RecurrentWorkload(), new CnnWorkload(), new ImageLoadingWorkload()];

    /// <summary>Runs the selected workloads; exit code 2 on an unknown name.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("usage: DlBook.Bench <workload|all> [--json FILE] [--repeats N] [--threads N] [--quick]");
            Console.WriteLine("workloads: " + string.Join(", ", Workloads.Select(w => w.Name)));
            return args.Length == 0 ? 2 : 0;
        }

        var options = BenchOptions.Parse(args[1..]);
        var selected = args[0] == "all" ? Workloads : Workloads.Where(w => w.Name == args[0]).ToArray();
        if (selected.Length == 0)
        {
            Console.Error.WriteLine($"unknown workload '{args[0]}'; known: {string.Join(", ", Workloads.Select(w => w.Name))}, all");
            return 2;
        }

        var report = new BenchReport();
        foreach (var workload in selected)
            workload.Run(options, report);
        report.PrintMarkdown(Console.Out);
        if (options.JsonPath is not null)
            report.WriteJson(options.JsonPath);
        return 0;
    }
}
