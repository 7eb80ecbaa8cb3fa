using System.Collections;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Tests;

/// <summary>Small row classes and sources shared by the tests.</summary>
public sealed class NumberRow
{
    public float Id { get; set; }
    public float X { get; set; }
    public string Name { get; set; } = "";

    /// <summary>n rows: Id = i, X = 10·i, Name = "r{i}".</summary>
    public static NumberRow[] Make(int n) =>
        Enumerable.Range(0, n).Select(i => new NumberRow { Id = i, X = 10 * i, Name = $"r{i}" }).ToArray();
}

public sealed class ScalarRow
{
    public float X { get; set; }
}

public sealed class VectorRow
{
    [VectorType(3)] public float[] V { get; set; } = new float[3];
    public float S { get; set; }
}

/// <summary>A re-enumerable sequence that is not a collection (so its count is unknown) and counts its passes.</summary>
internal sealed class CountingEnumerable<T>(IReadOnlyList<T> items) : IEnumerable<T>
{
    public int Passes { get; private set; }

    public IEnumerator<T> GetEnumerator()
    {
        Passes++;
        return Iterate();
    }

    private IEnumerator<T> Iterate()
    {
        foreach (var item in items) yield return item;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
