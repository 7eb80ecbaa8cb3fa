using DlBook.Pipelines.Core;

namespace DlBook.Pipelines.Tests.Core;

/// <summary>The context: seed, derived seeds and the log.</summary>
public sealed class DlContextTests
{
    [Fact]
    public void ASeededContextDerivesTheSameSeedsEveryRun()
    {
        var a = new DlContext(7);
        var b = new DlContext(7);
        Assert.Equal(7, a.Seed);
        var fromA = Enumerable.Range(0, 5).Select(_ => a.NextSeed()).ToArray();
        Assert.Equal(fromA, Enumerable.Range(0, 5).Select(_ => b.NextSeed()).ToArray());
        Assert.Equal(5, fromA.Distinct().Count());
        Assert.NotEqual(fromA[0], new DlContext(8).NextSeed());
        Assert.Null(new DlContext().Seed);
    }

    [Fact]
    public void WriteLogRaisesTheLogEvent()
    {
        var ctx = new DlContext(1);
        ctx.WriteLog(LogLevel.Info, "Nobody", "listening"); // no handler: nothing happens
        var seen = new List<LogEventArgs>();
        ctx.Log += (sender, e) => { Assert.Same(ctx, sender); seen.Add(e); };
        ctx.WriteLog(LogLevel.Warning, "Mlp", "gradients vanish");
        var e = Assert.Single(seen);
        Assert.Equal((LogLevel.Warning, "Mlp", "gradients vanish"), (e.Level, e.Source, e.Message));
        Assert.Equal("[Warning] Mlp: gradients vanish", e.ToString());
    }

    [Fact]
    public void TheCatalogsBelongToTheirContext()
    {
        var ctx = new DlContext(1);
        Assert.Same(ctx, ctx.Data.Context);
        Assert.Same(ctx, ctx.Transforms.Context);
        Assert.Same(ctx, ctx.Transforms.Conversion.Context);
        Assert.Same(ctx, ctx.Trainers.Context);
        Assert.Same(ctx, ctx.MulticlassClassification.Context);
        Assert.Same(ctx, ctx.BinaryClassification.Context);
        Assert.Same(ctx, ctx.Regression.Context);
        Assert.Same(ctx, ctx.Model.Context);
        Assert.Same(ctx.Transforms.Conversion, ctx.Transforms.Conversion);
    }
}
