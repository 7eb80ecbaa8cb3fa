using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Tests.Sequences;

/// <summary>The synthetic recurrent tasks and the sliding-window transform.</summary>
public class SequenceViewTests
{
    private sealed class Step
    {
        public float Value { get; set; }
    }

    private sealed class Window
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    [Fact]
    public void Windows_hold_consecutive_values_and_the_value_horizon_steps_after_the_last()
    {
        var ml = new MLContext(1);
        var series = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new Step { Value = i * 10 }));
        var windows = ml.Data.CreateWindows(series, "Value", window: 3, horizon: 2, stride: 2);
        var type = (VectorDataViewType)windows.Schema["Features"].Type;
        Assert.Equal([3, 1], type.Dimensions.ToArray());
        var rows = ml.Data.CreateEnumerable<Window>(windows, false).ToList();
        // t = 0, 2, 4 (t + 3 − 1 + 2 ≤ 9): [0,10,20]→40, [20,30,40]→60, [40,50,60]→80.
        Assert.Equal(3, rows.Count);
        Assert.Equal([20f, 30f, 40f], rows[1].Features);
        Assert.Equal([40f, 60f, 80f], rows.Select(r => r.Label));
    }

    [Fact]
    public void A_nan_in_the_series_and_a_series_shorter_than_a_window_are_errors_naming_the_row_or_length()
    {
        var ml = new MLContext(1);
        var gap = ml.Data.LoadFromEnumerable(new[] { 1f, 2f, float.NaN, 4f }.Select(v => new Step { Value = v }));
        Assert.Contains("Row 2 of column 'Value'", Assert.Throws<Data.DataFormatException>(() => ml.Data.CreateWindows(gap, "Value", 2)).Message);
        var shortSeries = ml.Data.LoadFromEnumerable(new[] { 1f, 2f }.Select(v => new Step { Value = v }));
        Assert.Contains("fewer than one window (2) plus the horizon (1)", Assert.Throws<Data.DataFormatException>(() => ml.Data.CreateWindows(shortSeries, "Value", 2)).Message);
        Assert.Contains("Available: Value", Assert.Throws<Data.SchemaException>(() => ml.Data.CreateWindows(shortSeries, "Price", 1)).Message);
    }

    private sealed class Adding
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    [Fact]
    public void The_adding_problem_marks_one_value_in_each_half_and_its_label_is_their_sum_the_same_for_the_same_seed()
    {
        var ml = new MLContext(1);
        var a = ml.Data.CreateEnumerable<Adding>(ml.Data.LoadAddingProblem(200, 30, seed: 5), false).ToList();
        var b = ml.Data.CreateEnumerable<Adding>(ml.Data.LoadAddingProblem(200, 30, seed: 5), false).ToList();
        var c = ml.Data.CreateEnumerable<Adding>(ml.Data.LoadAddingProblem(200, 30, seed: 6), false).ToList();
        Assert.Equal(a.Select(r => r.Label), b.Select(r => r.Label));
        Assert.NotEqual(a.Select(r => r.Label), c.Select(r => r.Label));
        foreach (var r in a)
        {
            var marked = Enumerable.Range(0, 30).Where(t => r.Features[2 * t + 1] == 1).ToArray();
            Assert.Equal(2, marked.Length);
            Assert.True(marked[0] < 15 && marked[1] >= 15);
            Assert.Equal(r.Features[2 * marked[0]] + r.Features[2 * marked[1]], r.Label, 6);
        }
        // The constant predictor 1 has MSE ≈ Var(U+U) = 1/6.
        Assert.InRange(a.Average(r => (r.Label - 1) * (r.Label - 1)), 0.12, 0.22);
    }

    private sealed class Memory
    {
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    [Fact]
    public void The_memory_task_labels_each_row_with_the_first_steps_symbol_as_a_key()
    {
        var ml = new MLContext(1);
        var view = ml.Data.LoadMemoryTask(100, 12, seed: 1, symbols: 5);
        Assert.Equal(5UL, ((KeyDataViewType)view.Schema["Label"].Type).Count);
        foreach (var r in ml.Data.CreateEnumerable<Memory>(view, false))
        {
            Assert.True(r.Features[(int)r.Label - 1] == 1f, $"label {r.Label}, first step {string.Join(",", r.Features[..10])}");
            Assert.Equal(12, r.Features.Sum(v => v), 3);   // one symbol per step
        }
    }
}
