using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Core;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Packaging;

namespace DlBook.Trainers.Tests.Mlp;

/// <summary>Every MlpOptions setting reaches the network or the loop, and bad values are refused by name.</summary>
public sealed class MlpOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-mlpopt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MlpOptions Small(int epochs = 1, int seed = 7) => new()
    {
        HiddenLayers = [30], Epochs = epochs, BatchSize = 10, LearningRate = 0.1f, Seed = seed, MonitorGradients = false,
    };

    private static float[] Flat(MlpModel m) =>
        [.. m.Layers.SelectMany(l => l.Parameters.SelectMany(p => m.GetParameter(l.Name, p.Name).Span.ToArray()))];

    public static TheoryData<string, float> Optimizers => new()
    {
        { "Sgd", 0.5f }, { "Momentum", 0.05f }, { "Nesterov", 0.05f }, { "Adagrad", 0.05f },
        { "RmsProp", 0.002f }, { "Adam", 0.01f }, { "AdamW", 0.01f },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void EveryOptimiserLowersTheLossOverThreeHundredSteps(string optimizer, float eta)
    {
        var ctx = new DlContext(seed: 1);
        var options = Small(epochs: 3, seed: 3);
        options.Optimizer = optimizer;
        options.LearningRate = eta;
        var model = ctx.Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 1_000));
        var h = model.History!.Epochs;
        Assert.Equal(3, h.Count);
        
        Assert.True(h[2].TrainLoss < h[0].TrainLoss, $"{optimizer}: loss {h[0].TrainLoss:F4} → {h[2].TrainLoss:F4}");
        // Adam's per-parameter steps of ~η move the book's N(0,1) biases slowly at first, so the bar is modest.
        Assert.True(h[2].TrainAccuracy > 0.75, $"{optimizer}: accuracy in epoch 3 {h[2].TrainAccuracy:P2}");
    }

    [Fact]
    public void TheOptimiserNameReachesTheLoopEachGivesDifferentWeights()
    {
        var ctx = new DlContext(seed: 1);
        var data = MnistData.TrainRows(0, 200);
        var weights = new Dictionary<string, float[]>();
        foreach (var name in new[] { "Sgd", "Momentum", "Nesterov", "Adagrad", "RmsProp", "Adam", "AdamW" })
        {
            var options = Small(seed: 3);
            options.Optimizer = name;
            options.LearningRate = 0.01f;
            weights[name] = Flat(ctx.Trainers.Mlp(options).Fit(data));
        }
        var names = weights.Keys.ToArray();
        for (int i = 0; i < names.Length; i++)
            for (int j = i + 1; j < names.Length; j++)
                Assert.False(weights[names[i]].AsSpan().SequenceEqual(weights[names[j]]), $"{names[i]} and {names[j]} trained identical weights");
    }

    public static TheoryData<string, int> Schedules => new()
    {
        { "ExponentialDecay", 6 }, { "Exponential", 3 }, { "StepDecay", 6 }, { "Cosine", 5 }, { "Constant", 3 },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void TheHistorysLearningRateFollowsTheSchedulesClosedForm(string schedule, int epochs)
    {
        var ctx = new DlContext(seed: 1);
        var options = Small(epochs: epochs);
        options.LearningRate = 0.2f;
        options.LearningRateSchedule = schedule;
        options.DecayRate = 0.98f;
        options.StepSize = 2;
        options.Gamma = 0.5f;
        options.MinLearningRate = 0.01f;
        var history = ctx.Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 50)).History!;
        Assert.Equal(epochs, history.Epochs.Count);
        for (int e = 0; e < epochs; e++)
        {
            double expected = schedule switch
            {
                "ExponentialDecay" or "Exponential" => 0.2 * Math.Pow(0.98, e),
                "StepDecay" => 0.2 * Math.Pow(0.5, e / 2),
                "Cosine" => 0.01 + (0.2 - 0.01) * (1 + Math.Cos(Math.PI * e / epochs)) / 2,
                _ => 0.2,
            };
            Assert.Equal(expected, history.Epochs[e].LearningRate, 6);
        }
    }

    [Fact]
    public void DropoutAndBatchNormBuildThoseLayersAndInferenceIsDeterministic()
    {
        var ctx = new DlContext(seed: 1);
        var options = Small(epochs: 1);
        options.HiddenLayers = [30, 20];
        options.Dropout = 0.5f;
        options.BatchNorm = true;
        options.Activation = Activation.Relu;
        var model = ctx.Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 500));

        Assert.Equal(
            [LayerKinds.Dense, LayerKinds.BatchNorm1d, LayerKinds.Activation, LayerKinds.Dropout,
             LayerKinds.Dense, LayerKinds.BatchNorm1d, LayerKinds.Activation, LayerKinds.Dropout, LayerKinds.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.Equal("0.5", model.Layers.First(l => l.Kind == LayerKinds.Dropout).Settings["rate"]);

        // Dropout is off at inference: the same input gives the same output, call after call.
        var x = new Tensor(new float[5 * 784].Select((_, i) => (i % 13) / 13f).ToArray(), [5, 784]);
        var first = model.Predict(x).Span.ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(first, model.Predict(x).Span.ToArray());
        Assert.All(first, v => Assert.True(float.IsFinite(v)));

        // And it round-trips through a package (running statistics included) with identical outputs.
        var path = Path.Combine(_dir, "bn.dlbook");
        ctx.Model.Save(model, MnistData.Train.Schema, path);
        var loaded = Assert.IsType<MlpModel>(ctx.Model.Load(path, out _));
        Assert.Equal(first, loaded.Predict(x).Span.ToArray());
    }

    [Fact]
    public void WithoutDropoutOrBatchNormTheNetworkIsDenseAndActivationOnly()
    {
        var model = new DlContext(seed: 1).Trainers.Mlp(Small()).Fit(MnistData.TrainRows(0, 20));
        Assert.Equal([LayerKinds.Dense, LayerKinds.Activation, LayerKinds.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(Activation.Sigmoid, model.OutputActivation);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GradientClippingBoundsTheFirstStep(bool byNorm)
    {
        // One SGD step on one mini-batch from the same initial weights: clipping bounds the change of the weights.
        var ctx = new DlContext(seed: 1);
        var data = MnistData.TrainRows(0, 10);
        MlpOptions Options(float eta)
        {
            var o = Small(seed: 9);
            o.LearningRate = eta;
            o.BiasInitializer = "Zeros";
            if (byNorm) o.GradientClipNorm = 0.01f;
            else o.GradientClipValue = 1e-4f;
            return o;
        }
        var initial = Flat(ctx.Trainers.Mlp(Options(0f)).Fit(data));
        var stepped = Flat(ctx.Trainers.Mlp(Options(1f)).Fit(data));
        var unclipped = Small(seed: 9);
        unclipped.LearningRate = 1f;
        unclipped.BiasInitializer = "Zeros";
        var free = Flat(ctx.Trainers.Mlp(unclipped).Fit(data));

        double norm = 0, max = 0, freeNorm = 0;
        for (int i = 0; i < initial.Length; i++)
        {
            double d = stepped[i] - initial[i];
            norm += d * d;
            max = Math.Max(max, Math.Abs(d));
            freeNorm += (free[i] - initial[i]) * (double)(free[i] - initial[i]);
        }
        Assert.True(norm > 0, "the step changed nothing");
        if (byNorm) Assert.True(Math.Sqrt(norm) <= 0.01 * 1.001, $"‖Δ‖ = {Math.Sqrt(norm):G4} > η·θ = 0.01");
        else Assert.True(max <= 1e-4 * 1.001, $"max |Δ| = {max:G4} > η·v = 1e-4");
        Assert.True(Math.Sqrt(freeNorm) > 10 * Math.Sqrt(norm), "without clipping the step should be much larger");
    }

    public static TheoryData<string, Type, string> BadOptions => new()
    {
        { "Epochs=-1", typeof(ArgumentOutOfRangeException), "Epochs" },
        { "Epochs=0", typeof(ArgumentOutOfRangeException), "Epochs" },
        { "BatchSize=0", typeof(ArgumentOutOfRangeException), "BatchSize" },
        { "Optimizer=Adamax", typeof(ArgumentException), "'Adamax'" },
        { "Cost=Hinge", typeof(ArgumentException), "'Hinge'" },
        { "Initializer=Xavier", typeof(ArgumentException), "'Xavier'" },
        { "BiasInitializer=Ones", typeof(ArgumentException), "'Ones'" },
        { "LearningRateSchedule=Linear", typeof(ArgumentException), "'Linear'" },
        { "Activation=Softmax", typeof(ArgumentException), "Softmax" },
        { "Task=Ranking", typeof(ArgumentException), "'Ranking'" },
        { "HiddenLayers=0", typeof(ArgumentException), "HiddenLayers" },
        { "Dropout=1", typeof(ArgumentOutOfRangeException), "Dropout" },
        { "GradientMonitorSamples=0", typeof(ArgumentOutOfRangeException), "at least one sample" },
        { "LearningRate=-0.1", typeof(ArgumentOutOfRangeException), "LearningRate" },
        { "LearningRate=NaN", typeof(ArgumentOutOfRangeException), "LearningRate" },
        { "L2=-1", typeof(ArgumentOutOfRangeException), "L2" },
        { "DecayRate=0", typeof(ArgumentOutOfRangeException), "decay" },
        { "FeatureColumnName=Pixels", typeof(DlBook.Pipelines.Data.SchemaException), "'Pixels'" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void ABadOptionIsATypedExceptionNamingItAndWritesNothing(string setting, Type exception, string named)
    {
        var o = Small();
        o.ReportDirectory = Path.Combine(_dir, "report");
        o.CheckpointPath = Path.Combine(_dir, "m.dlbook");
        o.MonitorGradients = true;
        var (key, value) = (setting.Split('=')[0], setting.Split('=')[1]);
        switch (key)
        {
            case "Epochs": o.Epochs = int.Parse(value); break;
            case "BatchSize": o.BatchSize = int.Parse(value); break;
            case "Optimizer": o.Optimizer = value; break;
            case "Cost": o.Cost = value; break;
            case "Initializer": o.Initializer = value; break;
            case "BiasInitializer": o.BiasInitializer = value; break;
            case "LearningRateSchedule": o.LearningRateSchedule = value; break;
            case "Activation": o.Activation = Enum.Parse<Activation>(value); break;
            case "Task": o.Task = value; break;
            case "HiddenLayers": o.HiddenLayers = [30, int.Parse(value)]; break;
            case "Dropout": o.Dropout = float.Parse(value); break;
            case "GradientMonitorSamples": o.GradientMonitorSamples = int.Parse(value); break;
            case "LearningRate": o.LearningRate = float.Parse(value); break;
            case "L2": o.L2 = float.Parse(value); break;
            case "DecayRate": o.LearningRateSchedule = "ExponentialDecay"; o.DecayRate = float.Parse(value); break;
            case "FeatureColumnName": o.FeatureColumnName = value; break;
            default: throw new InvalidOperationException(setting);
        }
        var e = Assert.Throws(exception, () => new DlContext(seed: 1).Trainers.Mlp(o).Fit(MnistData.TrainRows(0, 30)));
        Assert.Contains(named, e.Message);
        Assert.False(File.Exists(o.CheckpointPath));
        Assert.False(Directory.Exists(o.ReportDirectory));
    }
}
