namespace DlBook.Cli.Tests;

public class CliSmokeTests
{
    [Fact]
    public void AssemblyLoads() => Assert.NotNull(typeof(CliSmokeTests).Assembly);
}
