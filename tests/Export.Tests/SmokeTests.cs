namespace DlBook.Export.Tests;

public class ExportSmokeTests
{
    [Fact]
    public void AssemblyLoads() => Assert.NotNull(typeof(ExportSmokeTests).Assembly);
}
