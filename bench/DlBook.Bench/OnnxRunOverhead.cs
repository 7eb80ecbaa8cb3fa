using DlBook.Export.Onnx.Proto;
using DlBook.Export.Runtime;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DlBook.Bench;

/// <summary>
/// The cost of one ONNX Runtime Run on a one-node model, three ways through the official binding:
/// <see cref="RunnerRun"/> (our pre-allocated, pinned OrtValues), <see cref="PreparedRun"/> (the binding's OrtValue Run,
/// values made once) and <see cref="AllocatingRun"/> (NamedOnnxValue in, a fresh result collection out, as most code calls it).
/// </summary>
internal sealed class OnnxRunOverhead : IDisposable
{
    private readonly OnnxSession _session;
    private readonly OnnxBatchRunner _runner;
    private readonly float[] _x = [1, 2, 3, 4];
    private readonly float[] _y = new float[4];
    private readonly OrtValue _in, _out;
    private readonly RunOptions _run = new();

    public OnnxRunOverhead()
    {
        _session = OnnxSession.FromBytes(TinyModel(), new OnnxSessionOptions { IntraOpThreads = 1, InterOpThreads = 1 }, "tiny-identity");
        _runner = _session.Runner(1);
        _in = OrtValue.CreateTensorValueFromMemory(_x, [1, 4]);
        _out = OrtValue.CreateTensorValueFromMemory(_y, [1, 4]);
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

    public void RunnerRun() => _runner.Run(_x, 1);

    public void PreparedRun() => _session.Session.Run(_run, ["Features"], [_in], ["Score"], [_out]);

    public void AllocatingRun()
    {
        using var r = _session.Session.Run([NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(_x, [1, 4]))]);
    }

    public void Dispose()
    {
        _in.Dispose();
        _out.Dispose();
        _run.Dispose();
        _runner.Dispose();
        _session.Dispose();
    }
}
