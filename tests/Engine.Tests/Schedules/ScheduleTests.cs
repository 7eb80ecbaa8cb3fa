using DlBook.Engine.Schedules;

namespace DlBook.Engine.Tests.Schedules;

public class ScheduleTests
{
    [Fact]
    public void ConstantKeepsTheBaseRate() =>
        Assert.Equal(0.1f, ScheduleFactory.Create("Constant").Rate(0.1f, 17, 30));

    [Fact]
    public void ExponentialDecayMultipliesEachEpoch()
    {
        var s = ScheduleFactory.Create("ExponentialDecay", decayRate: 0.98f);
        Assert.Equal(0.1f, s.Rate(0.1f, 0, 30));
        Assert.Equal(0.1 * Math.Pow(0.98, 3), s.Rate(0.1f, 3, 30), 7);
    }

    [Fact]
    public void StepDecayDropsEveryStepSizeEpochs()
    {
        var s = new StepDecaySchedule(10, 0.5f);
        Assert.Equal(0.1f, s.Rate(0.1f, 9, 30));
        Assert.Equal(0.05f, s.Rate(0.1f, 10, 30), 7);
        Assert.Equal(0.025f, s.Rate(0.1f, 25, 30), 7);
    }

    [Fact]
    public void CosineGoesFromBaseToMinimum()
    {
        var s = new CosineSchedule(0.001f);
        Assert.Equal(0.1f, s.Rate(0.1f, 0, 10), 7);
        Assert.Equal((0.1 + 0.001) / 2, s.Rate(0.1f, 5, 10), 6);
        Assert.Equal(0.001 + 0.099 * (1 + Math.Cos(Math.PI * 0.3)) / 2, s.Rate(0.1f, 3, 10), 6);
        Assert.Equal(0.001f, s.Rate(0.1f, 10, 10), 7);
    }

    [Fact]
    public void BadNamesAndRatesAreRejected()
    {
        Assert.Contains("Cosine", Assert.Throws<ArgumentException>(() => ScheduleFactory.Create("linear")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecaySchedule(1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule(0, 0.5f));
    }
}
