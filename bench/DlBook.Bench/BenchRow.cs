namespace DlBook.Bench;

/// <summary>One measured figure: median, min and max rate over the repeats, and the median time per call.</summary>
public sealed record BenchRow(string Workload, string Unit, double Median, double Min, double Max, double MedianMicroseconds, int Repeats);
