using System.Diagnostics;
using DlBook.Export.Onnx.Proto;
using DlBook.Export.Runtime;
using Google.Protobuf;

namespace DlBook.Bench;

/// <summary>
/// The cost this binding adds to one ORT Run: a tiny model (Identity on float[batch, 4]) run many times
/// through <see cref="OnnxSession"/>.Run, against the same model run through ORT's C API directly with
/// the input OrtValue and names prepared once (the floor any binding can reach). The difference is the
/// binding's own work per call: argument checks, pinning, OrtValue creation, output copy.
/// </summary>
public static unsafe class OnnxRunOverhead
{
    /// <summary>
    /// Mean microseconds per call: through the binding; raw Run with everything prepared once; raw with
    /// the per-call C API work any binding must do (wrap the input buffer in an OrtValue, read the output's
    /// shape, copy it out, release both).
    /// </summary>
    public sealed record Result(double BindingMicroseconds, double RawMicroseconds, double RawCompleteMicroseconds, int Runs)
    {
        /// <summary>Binding minus the bare Run.</summary>
        public double OverheadMicroseconds => BindingMicroseconds - RawMicroseconds;

        /// <summary>Binding minus the unavoidable per-call C API work: what the managed layer itself adds.</summary>
        public double ManagedOverheadMicroseconds => BindingMicroseconds - RawCompleteMicroseconds;
    }

    /// <summary>A one-node model: Score = Identity(Features), float[batch, 4].</summary>
    public static byte[] TinyModel()
    {
        ValueInfoProto Value(string name) => new()
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Float,
                    Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = 4 } } },
                },
            },
        };
        var graph = new GraphProto { Name = "tiny", Input = { Value("Features") }, Output = { Value("Score") } };
        graph.Node.Add(new NodeProto { OpType = "Identity", Name = "id", Input = { "Features" }, Output = { "Score" } });
        var model = new ModelProto { IrVersion = 8, ProducerName = "DlBook.Bench", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    /// <summary>Measures <paramref name="runs"/> calls each way after a warm-up; best of 5 rounds.</summary>
    public static Result Measure(int runs = 20_000)
    {
        using var session = OnnxSession.FromBytes(TinyModel(), new OnnxSessionOptions { IntraOpThreads = 1, InterOpThreads = 1 });
        var x = new float[4] { 1, 2, 3, 4 };
        var inputs = new[] { OnnxTensor.Float("Features", x, 1, 4) };

        double Binding()
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < runs; i++) session.Run(inputs);
            return sw.Elapsed.TotalMicroseconds / runs;
        }

        var api = session.Api;
        long* shape = stackalloc long[] { 1, 4 };
        nint inputValue;
        fixed (float* px = x)
        {
            inputValue = api.CreateTensorWithData(session.Library.CpuMemory, px, 16, shape, 2, OnnxElementType.Float, out var status);
            api.Check(status, "Creating the benchmark input");
        }
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(x, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            nint inName = session.InputNamePointer(0), outName = session.OutputNamePointer(0);
            double Raw()
            {
                nint i1 = inName, o1 = outName, inV = inputValue, output;
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < runs; i++)
                {
                    output = 0;
                    api.Check(api.Run(session.NativeHandle, &i1, &inV, 1, &o1, &output, 1), "Run");
                    api.Release(OrtApiIndex.ReleaseValue, output);
                }
                return sw.Elapsed.TotalMicroseconds / runs;
            }
            double RawComplete()
            {
                nint i1 = inName, o1 = outName, output;
                var copy = new float[4];
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < runs; i++)
                {
                    nint inV;
                    fixed (float* px = x)
                    {
                        inV = api.CreateTensorWithData(session.Library.CpuMemory, px, 16, shape, 2, OnnxElementType.Float, out var st);
                        api.Check(st, "Creating the input");
                        output = 0;
                        api.Check(api.Run(session.NativeHandle, &i1, &inV, 1, &o1, &output, 1), "Run");
                    }
                    var (_, dims, data) = api.TensorOf(output);
                    new ReadOnlySpan<float>((void*)data, (int)(dims[0] * dims[1])).CopyTo(copy);
                    api.Release(OrtApiIndex.ReleaseValue, output);
                    api.Release(OrtApiIndex.ReleaseValue, inV);
                }
                return sw.Elapsed.TotalMicroseconds / runs;
            }
            Binding(); Raw(); RawComplete();
            double bestBinding = double.MaxValue, bestRaw = double.MaxValue, bestComplete = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                bestRaw = Math.Min(bestRaw, Raw());
                bestComplete = Math.Min(bestComplete, RawComplete());
                bestBinding = Math.Min(bestBinding, Binding());
            }
            return new Result(bestBinding, bestRaw, bestComplete, runs);
        }
        finally
        {
            api.Release(OrtApiIndex.ReleaseValue, inputValue);
            handle.Free();
        }
    }
}
