namespace DlBook.Engine.Tests;

public class EngineSmokeTests
{
    [Fact]
    public void AssemblyLoads() => Assert.NotNull(typeof(EngineSmokeTests).Assembly);
}
