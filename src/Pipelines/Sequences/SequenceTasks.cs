using DlBook.Engine.Random;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Sequences;

/// <summary>The generators behind <see cref="SequenceTaskCatalogExtensions"/>: rows in memory, a schema with the [T, F] shape.</summary>
internal static class SequenceTasks
{
    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class KeyRow
    {
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    public static IDataView AddingProblem(int rows, int length, int seed)
    {
        Check(rows, length, 2);
        var rng = new Rng((ulong)seed);
        var data = new Row[rows];
        for (int r = 0; r < rows; r++)
        {
            var x = new float[length * 2];
            for (int t = 0; t < length; t++) x[2 * t] = rng.NextFloat();
            int half = length / 2;
            int a = rng.NextInt(half), b = half + rng.NextInt(length - half);
            x[2 * a + 1] = 1;
            x[2 * b + 1] = 1;
            data[r] = new Row { Features = x, Label = x[2 * a] + x[2 * b] };
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length, 2);
        return new MLContext().Data.LoadFromEnumerable(data, schema);
    }

    public static IDataView MemoryTask(int rows, int length, int seed, int symbols)
    {
        Check(rows, length, 2);
        if (symbols < 2) throw new ArgumentOutOfRangeException(nameof(symbols), symbols, $"The memory task needs at least 2 symbols (got {symbols}).");
        var rng = new Rng((ulong)seed);
        int width = 2 * symbols;
        var data = new KeyRow[rows];
        for (int r = 0; r < rows; r++)
        {
            var x = new float[length * width];
            int first = rng.NextInt(symbols);
            x[first] = 1;
            for (int t = 1; t < length; t++) x[t * width + symbols + rng.NextInt(symbols)] = 1;
            data[r] = new KeyRow { Features = x, Label = (uint)first };   // LoadFromEnumerable stores a key field 0-based (key = value + 1)
        }
        var schema = SchemaDefinition.Create(typeof(KeyRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length, width);
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), symbols);
        return new MLContext().Data.LoadFromEnumerable(data, schema);
    }

    private static void Check(int rows, int length, int minLength)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"Generate at least 1 row (got {rows}).");
        if (length < minLength) throw new ArgumentOutOfRangeException(nameof(length), length, $"The sequence length must be at least {minLength} (got {length}).");
    }
}
