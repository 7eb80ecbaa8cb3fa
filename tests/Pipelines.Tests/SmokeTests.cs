namespace DlBook.Pipelines.Tests;

public class PipelinesSmokeTests
{
    [Fact]
    public void AssemblyLoads() => Assert.NotNull(typeof(PipelinesSmokeTests).Assembly);
}
