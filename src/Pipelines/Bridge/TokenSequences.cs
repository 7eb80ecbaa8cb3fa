using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Bridge;

/// <summary>
/// Token-id sequences of any length as fixed-length feature rows, the one place the bridge (training) and the
/// prediction transformer (scoring) read them: a key k becomes id k (1 … count; key 0, a missing or
/// out-of-vocabulary token, becomes 0, the padding id), a Single is taken as the id. A sequence longer than the length
/// keeps its first ids; a shorter one is padded with 0 in front (Keras's <c>pad_sequences</c> default), so the last
/// step of every row is its last token and a recurrent net's last state has read the whole text.
/// </summary>
public static class TokenSequences
{
    /// <summary>True when <paramref name="type"/> can be read as token ids: a vector of keys or of Single, of any size.</summary>
    public static bool CanRead(DataViewType type) =>
        type is VectorDataViewType v && (v.ItemType is KeyDataViewType || v.ItemType == NumberDataViewType.Single);

    /// <summary>The embedding table size a key vector needs (its key count + 1 for the padding id 0), or null for Single ids.</summary>
    public static int? VocabularySize(DataViewType type) =>
        type is VectorDataViewType { ItemType: KeyDataViewType k } ? checked((int)k.Count + 1) : null;

    /// <summary>A getter giving the current row's ids as a dense vector of <paramref name="length"/> floats.</summary>
    public static ValueGetter<VBuffer<float>> Getter(DataViewRow row, DataViewSchema.Column column, int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, $"The sequence length must be at least 1 (got {length}).");
        var dense = new float[length];
        if (column.Type is VectorDataViewType { ItemType: KeyDataViewType })
        {
            var keys = row.GetGetter<VBuffer<uint>>(column);
            VBuffer<uint> buffer = default;
            return (ref VBuffer<float> value) =>
            {
                keys(ref buffer);
                Fill(buffer.DenseValues(), buffer.Length, dense, k => k);
                value = new VBuffer<float>(length, dense);
            };
        }
        var floats = row.GetGetter<VBuffer<float>>(column);
        VBuffer<float> source = default;
        return (ref VBuffer<float> value) =>
        {
            floats(ref source);
            Fill(source.DenseValues(), source.Length, dense, f => f);
            value = new VBuffer<float>(length, dense);
        };
    }

    private static void Fill<T>(IEnumerable<T> values, int count, float[] dense, Func<T, float> id)
    {
        int length = dense.Length, n = Math.Min(count, length), pad = length - n;
        Array.Clear(dense, 0, pad);
        int i = 0;
        foreach (var v in values)
        {
            if (i == n) break;
            dense[pad + i++] = id(v);
        }
    }
}
