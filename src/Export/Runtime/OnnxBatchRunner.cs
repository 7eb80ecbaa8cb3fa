using Microsoft.ML.OnnxRuntime;

namespace DlBook.Export.Runtime;

/// <summary>
/// Runs batches of one float input through a session with no allocation per call beyond ONNX Runtime's own: the input
/// and float outputs are <see cref="OrtValue"/>s over buffers pinned once, made for the full batch size and once more
/// for a shorter last batch. Not thread-safe: one runner per thread (the session itself may be shared).
/// </summary>
public sealed class OnnxBatchRunner : IDisposable
{
    private readonly OnnxSession _session;
    private readonly string _input;
    private readonly long[] _inputRow;
    private readonly string[] _outputs;
    private readonly long[][] _outputRows;
    private readonly RunOptions _runOptions = new();
    private Bound? _full, _short;

    internal OnnxBatchRunner(OnnxSession session, int batchSize, string? inputName, IReadOnlyList<string>? outputNames)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        _session = session;
        var input = inputName is null
            ? (session.Inputs.Count == 1 ? session.Inputs[0] : throw new OnnxInputException(
                $"ONNX model '{session.ModelName}' has {session.Inputs.Count} inputs ({string.Join(", ", session.Inputs.Select(i => i.Name))}); name the one to feed."))
            : session.Input(inputName) ?? throw new OnnxInputException(
                $"ONNX model '{session.ModelName}' has no input '{inputName}'; its inputs: {string.Join(", ", session.Inputs.Select(i => i.Describe()))}.");
        if (input.ElementType != OnnxElementType.Float)
            throw new OnnxInputException($"Input '{input.Name}' of '{session.ModelName}' is {input.Describe()}; the batch runner feeds float32.");
        _input = input.Name;
        _inputRow = RowShape(input, session.ModelName);
        var floatOutputs = session.Outputs.Where(o => o.ElementType == OnnxElementType.Float).ToList();
        _outputs = outputNames?.ToArray() ?? floatOutputs.Select(o => o.Name).ToArray();
        _outputRows = _outputs.Select(n =>
        {
            var o = session.Output(n) ?? throw new OnnxInputException($"ONNX model '{session.ModelName}' has no output '{n}'; its outputs: {string.Join(", ", session.Outputs.Select(x => x.Describe()))}.");
            if (o.ElementType != OnnxElementType.Float) throw new OnnxInputException($"Output '{n}' of '{session.ModelName}' is {o.Describe()}; the batch runner reads float32 outputs.");
            return RowShape(o, session.ModelName);
        }).ToArray();
        BatchSize = batchSize;
        InputSize = (int)_inputRow.Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>Rows per full batch.</summary>
    public int BatchSize { get; }
    /// <summary>Floats per input row.</summary>
    public int InputSize { get; }
    /// <summary>The input fed.</summary>
    public string InputName => _input;
    /// <summary>The outputs read, in order.</summary>
    public IReadOnlyList<string> OutputNames => _outputs;
    /// <summary>Rows of the last the last run.</summary>
    public int Rows { get; private set; }

    /// <summary>Floats per row of output <paramref name="name"/>.</summary>
    public int OutputSize(string name) => (int)_outputRows[Index(name)].Aggregate(1L, (a, b) => a * b);

    /// <summary>Runs <paramref name="rows"/> rows of <paramref name="input"/> (row after row, <see cref="InputSize"/> floats each), copying them into the runner's pinned buffer.</summary>
    /// <exception cref="OnnxInputException">Too many rows or too few values.</exception>
    public void Run(ReadOnlySpan<float> input, int rows)
    {
        var bound = Bind(input.Length, rows);
        input[..(rows * InputSize)].CopyTo(bound.Input);
        Execute(bound, bound.InputValue, rows);
    }

    /// <summary>
    /// Runs <paramref name="rows"/> rows read in place from <paramref name="input"/> (pinned for the call, not copied:
    /// at batch 10,000 of MNIST a copy is a third of the call).
    /// </summary>
    public void Run(Memory<float> input, int rows)
    {
        var bound = Bind(input.Length, rows);
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input[..(rows * InputSize)], [rows, .. _inputRow]);
        Execute(bound, value, rows);
    }

    private Bound Bind(int length, int rows)
    {
        if (rows < 1 || rows > BatchSize)
            throw new OnnxInputException($"A batch of {rows} rows does not fit the runner's batch size {BatchSize}.");
        if (length < rows * InputSize)
            throw new OnnxInputException($"Input '{_input}' of '{_session.ModelName}' needs {rows} × {InputSize} floats; got {length}.");
        return rows == BatchSize ? (_full ??= new Bound(this, BatchSize)) : (_short is { Rows: var r } && r == rows ? _short : Rebind(rows));
    }

    private void Execute(Bound bound, OrtValue input, int rows)
    {
        try
        {
            _session.Session.Run(_runOptions, [_input], [input], _outputs, bound.OutputValues);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw new OnnxInputException($"ONNX model '{_session.ModelName}' failed on a batch of {rows} rows: {e.Message.Split('\n', 2)[0].Trim()}");
        }
        Rows = rows;
        _current = bound;
    }

    private Bound? _current;

    /// <summary>The values of output <paramref name="name"/> for the rows of the last run.</summary>
    public ReadOnlySpan<float> Output(string name)
    {
        var b = _current ?? throw new InvalidOperationException("Run a batch first.");
        int i = Index(name);
        return b.Outputs[i].AsSpan(0, Rows * OutputSize(name));
    }

    private Bound Rebind(int rows)
    {
        _short?.Dispose();
        return _short = new Bound(this, rows);
    }

    private int Index(string name)
    {
        int i = Array.IndexOf(_outputs, name);
        return i >= 0 ? i : throw new ArgumentException($"The runner does not read output '{name}'; it reads {string.Join(", ", _outputs)}.", nameof(name));
    }

    private static long[] RowShape(OnnxValueInfo v, string model) => v.Dimensions.Skip(1).Select(d => d < 0
        ? throw new OnnxInputException($"'{v.Name}' ({v.Describe()}) of ONNX model '{model}' has a symbolic dimension after the batch; the batch runner needs fixed row shapes: export the model with every dimension but the first fixed.")
        : d).ToArray();

    /// <inheritdoc />
    public void Dispose()
    {
        _full?.Dispose();
        _short?.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>Pinned buffers and their OrtValues for one batch size.</summary>
    private sealed class Bound : IDisposable
    {
        public Bound(OnnxBatchRunner r, int rows)
        {
            Rows = rows;
            Input = new float[rows * r.InputSize];
            InputValue = OrtValue.CreateTensorValueFromMemory(Input, [rows, .. r._inputRow]);
            Outputs = r._outputRows.Select(s => new float[rows * (int)s.Aggregate(1L, (a, b) => a * b)]).ToArray();
            OutputValues = Outputs.Select((o, i) => OrtValue.CreateTensorValueFromMemory(o, [rows, .. r._outputRows[i]])).ToArray();
        }

        public int Rows { get; }
        public float[] Input { get; }
        public OrtValue InputValue { get; }
        public float[][] Outputs { get; }
        public OrtValue[] OutputValues { get; }

        public void Dispose()
        {
            InputValue.Dispose();
            foreach (var v in OutputValues) v.Dispose();
        }
    }
}
