using System.Runtime.InteropServices;
using DlBook.Export.Onnx.Proto;
using DlBook.Export.Runtime;
using Google.Protobuf;

namespace DlBook.Bench;

/// <summary>
/// What this binding adds to one ORT Run. A tiny model (Identity on float[1, 4]) is run three ways:
/// <see cref="BindingRun"/> through <see cref="OnnxSession"/>.Run; <see cref="RawRun"/> through ORT's C API
/// with the input OrtValue and names prepared once (the bare cost of Run); <see cref="RawCompleteRun"/>
/// through the C API doing per call what any binding must (wrap the input buffer in an OrtValue, run, read
/// the output's type and shape, copy it out, release both). Binding − raw-complete is the managed layer's
/// own cost (argument checks, pinning, result objects).
/// </summary>
public sealed unsafe class OnnxRunOverhead : IDisposable
{
    private readonly OnnxSession _session;
    private readonly OnnxTensor[] _inputs;
    private readonly float[] _x = [1, 2, 3, 4];
    private readonly float[] _copy = new float[4];
    private readonly long* _shape;
    private readonly nint _preparedInput;
    private GCHandle _pin;

    /// <summary>Opens the tiny model with one intra-op thread (nothing to parallelise) and prepares the raw input.</summary>
    public OnnxRunOverhead()
    {
        _session = OnnxSession.FromBytes(TinyModel(), new OnnxSessionOptions { IntraOpThreads = 1, InterOpThreads = 1 }, "tiny-identity");
        _inputs = [OnnxTensor.Float("Features", _x, 1, 4)];
        _pin = GCHandle.Alloc(_x, GCHandleType.Pinned);
        _shape = (long*)NativeMemory.Alloc(2, sizeof(long));
        _shape[0] = 1;
        _shape[1] = 4;
        _preparedInput = _session.Api.CreateTensorWithData(_session.Library.CpuMemory, (void*)_pin.AddrOfPinnedObject(), 16, _shape, 2, OnnxElementType.Float, out var status);
        _session.Api.Check(status, "Creating the benchmark input");
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

    /// <summary>One Run through the binding.</summary>
    public void BindingRun() => _session.Run(_inputs);

    /// <summary>One bare C API Run with everything prepared.</summary>
    public void RawRun()
    {
        var api = _session.Api;
        nint inName = _session.InputNamePointer(0), outName = _session.OutputNamePointer(0), input = _preparedInput, output = 0;
        api.Check(api.Run(_session.NativeHandle, &inName, &input, 1, &outName, &output, 1), "Run");
        api.Release(OrtApiIndex.ReleaseValue, output);
    }

    /// <summary>One C API Run with the per-call work every binding needs.</summary>
    public void RawCompleteRun()
    {
        var api = _session.Api;
        nint inName = _session.InputNamePointer(0), outName = _session.OutputNamePointer(0), output = 0;
        nint input = api.CreateTensorWithData(_session.Library.CpuMemory, (void*)_pin.AddrOfPinnedObject(), 16, _shape, 2, OnnxElementType.Float, out var status);
        api.Check(status, "Creating the input");
        try
        {
            api.Check(api.Run(_session.NativeHandle, &inName, &input, 1, &outName, &output, 1), "Run");
            var (_, dims, data) = api.TensorOf(output);
            new ReadOnlySpan<float>((void*)data, (int)(dims[0] * dims[1])).CopyTo(_copy);
        }
        finally
        {
            api.Release(OrtApiIndex.ReleaseValue, output);
            api.Release(OrtApiIndex.ReleaseValue, input);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Api.Release(OrtApiIndex.ReleaseValue, _preparedInput);
        NativeMemory.Free(_shape);
        if (_pin.IsAllocated) _pin.Free();
        _session.Dispose();
    }
}
