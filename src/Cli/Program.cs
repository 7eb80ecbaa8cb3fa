namespace DlBook.Cli;

/// <summary>Entry point of the dlbook command.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("dlbook: not built yet");
        return 1;
    }
}
