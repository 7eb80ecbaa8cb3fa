namespace DlBook.Trainers.Tests;

public class TrainersSmokeTests
{
    [Fact]
    public void AssemblyLoads() => Assert.NotNull(typeof(TrainersSmokeTests).Assembly);
}
