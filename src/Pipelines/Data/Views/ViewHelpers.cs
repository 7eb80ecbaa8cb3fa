using DlBook.Engine.Random;

namespace DlBook.Pipelines.Data.Views;

/// <summary>Small pieces every view needs: column resolution, validation, permutations, materialising.</summary>
internal static class ViewHelpers
{
    /// <summary>The requested columns (all when null), each checked against the schema.</summary>
    public static string[] ResolveColumns(DataSchema schema, IReadOnlyCollection<string>? requested)
    {
        if (requested is null) return schema.Select(c => c.Name).ToArray();
        foreach (var name in requested) _ = schema[name]; // throws SchemaException naming the available columns
        return requested.Distinct().ToArray();
    }

    public static void Validate(BatchOptions options)
    {
        if (options.BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize must be positive; got {options.BatchSize}.");
    }

    /// <summary>A seeded permutation of 0..n−1 (Fisher–Yates with the project's RNG, so it is the same on every machine).</summary>
    public static int[] Permutation(int n, ulong seed)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        new Rng(seed).Shuffle<int>(p);
        return p;
    }

    /// <summary>Reads every row of every column of <paramref name="view"/> into memory.</summary>
    public static InMemoryDataView Materialize(IDataView view)
    {
        var builders = view.Schema.Select(c => (c.Name, Builder: ColumnBuilder.For(c.Name, c.Type))).ToArray();
        int rows = 0;
        foreach (var batch in view.GetBatches(new BatchOptions { BatchSize = 8192 }))
        {
            foreach (var (name, builder) in builders) builder.Append(batch.Columns[name]);
            rows += batch.RowCount;
        }
        return new InMemoryDataView(view.Schema, builders.ToDictionary(b => b.Name, b => b.Builder.Build()), rows);
    }

    /// <summary>Random access to any view: itself when it has it, otherwise a lazily built in-memory copy.</summary>
    public static RandomAccessDataView AsRandomAccess(IDataView view) =>
        TryRandomAccess(view) ?? new CachedDataView(view);

    /// <summary>The view's own random access, or null when it can only stream.</summary>
    public static RandomAccessDataView? TryRandomAccess(IDataView view) => view switch
    {
        RandomAccessDataView r => r,
        InMemoryDataView m => m.RandomAccess,
        _ => null,
    };

    /// <summary>Rows [start, start+count) of a batch column as a new buffer.</summary>
    public static ColumnData Slice(ColumnData data, int start, int count) =>
        start == 0 && count == data.RowCount ? data : ColumnStore.FromData(data).Gather(null, start, count);
}
