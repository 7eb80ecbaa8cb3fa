using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DlBook.Trainers.Packaging;

/// <summary>
/// Reads and writes the safetensors format (huggingface/safetensors): an 8-byte little-endian header
/// length N, N bytes of UTF-8 JSON — <c>{"name":{"dtype":"F32","shape":[..],"data_offsets":[b,e]},
/// "__metadata__":{..}}</c> with offsets relative to the data section — then the raw little-endian
/// data. Only F32 tensors are written; the reader accepts only F32 and checks every offset.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    // The reference implementation rejects headers above 100 MB; so do we, which also stops a corrupt length from allocating gigabytes.
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> (in the given order) and optional string metadata.</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, (float[] Values, int[] Shape)>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header[MetadataKey] = meta;
        }
        long offset = 0;
        foreach (var (name, (values, shape)) in list)
        {
            if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.");
            long count = shape.Aggregate(1L, (a, d) => a * d);
            if (count != values.Length)
                throw new ArgumentException($"Tensor '{name}' has {values.Length} values but shape [{string.Join(",", shape)}] needs {count}.");
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + count * 4),
            };
            offset += count * 4;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
        int padded = (json.Length + 7) / 8 * 8;
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        stream.Write(len);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (_, (values, _)) in list) WriteFloats(stream, values);
    }

    /// <summary>Reads every tensor and the metadata from a complete safetensors buffer; throws <see cref="SafeTensorsFormatException"/> saying what is wrong.</summary>
    public static (Dictionary<string, (float[] Values, int[] Shape)> Tensors, Dictionary<string, string> Metadata) Read(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < 8) throw new SafeTensorsFormatException($"the safetensors data is {buffer.Length} bytes, shorter than its 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(buffer);
        if (headerLength > MaxHeaderBytes || (long)headerLength > buffer.Length - 8)
            throw new SafeTensorsFormatException($"the safetensors header claims {headerLength} bytes but the data has {buffer.Length - 8} after the length field");
        var headerBytes = buffer.Slice(8, (int)headerLength);
        var data = buffer[(8 + (int)headerLength)..];
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(headerBytes)) as JsonObject
                ?? throw new SafeTensorsFormatException("the safetensors header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException($"the safetensors header is not valid JSON ({e.Message})");
        }

        var tensors = new Dictionary<string, (float[], int[])>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var ranges = new List<(long Begin, long End, string Name)>();
        foreach (var (name, node) in header)
        {
            if (name == MetadataKey)
            {
                if (node is not JsonObject meta) throw new SafeTensorsFormatException("'__metadata__' is not a JSON object");
                foreach (var (k, v) in meta)
                    metadata[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s
                        : throw new SafeTensorsFormatException($"metadata '{k}' is not a string");
                continue;
            }
            var (begin, end, shape) = ParseEntry(name, node);
            long count = shape.Aggregate(1L, (a, d) => a * d);
            if (end - begin != count * 4)
                throw new SafeTensorsFormatException($"tensor '{name}' spans {end - begin} bytes but its shape [{string.Join(",", shape)}] needs {count * 4}");
            if (end > data.Length)
                throw new SafeTensorsFormatException($"tensor '{name}' ends at byte {end} of a data section of {data.Length} bytes (the file is truncated)");
            ranges.Add((begin, end, name));
            var values = ReadFloats(data.Slice((int)begin, (int)(end - begin)));
            int bad = IndexOfNonFinite(values);
            if (bad >= 0)
                throw new SafeTensorsFormatException(
                    $"tensor '{name}' holds the non-finite value {values[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)} at element {bad}: the weights are damaged (or were saved from a diverged run); retrain or restore the file");
            tensors[name] = (values, shape);
        }
        ranges.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        for (int i = 1; i < ranges.Count; i++)
            if (ranges[i].Begin < ranges[i - 1].End)
                throw new SafeTensorsFormatException($"tensors '{ranges[i - 1].Name}' and '{ranges[i].Name}' overlap");
        return (tensors, metadata);
    }

    private static (long Begin, long End, int[] Shape) ParseEntry(string name, JsonNode? node)
    {
        if (node is not JsonObject entry) throw new SafeTensorsFormatException($"entry '{name}' is not a JSON object");
        string? dtype = entry["dtype"] is JsonValue d && d.TryGetValue<string>(out var ds) ? ds : null;
        if (dtype != "F32") throw new SafeTensorsFormatException($"tensor '{name}' has dtype '{dtype ?? "(none)"}'; only F32 is supported");
        if (entry["shape"] is not JsonArray shapeArray || entry["data_offsets"] is not JsonArray offsets || offsets.Count != 2)
            throw new SafeTensorsFormatException($"tensor '{name}' lacks a 'shape' array or a two-element 'data_offsets'");
        try
        {
            var shape = shapeArray.Select(s => s!.GetValue<int>()).ToArray();
            if (shape.Any(s => s < 0)) throw new SafeTensorsFormatException($"tensor '{name}' has a negative dimension");
            long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
            if (begin < 0 || end < begin) throw new SafeTensorsFormatException($"tensor '{name}' has offsets [{begin}, {end}]");
            return (begin, end, shape);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new SafeTensorsFormatException($"tensor '{name}' has a non-integer shape or offset");
        }
    }

    private static int IndexOfNonFinite(float[] values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    private static void WriteFloats(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        Span<byte> b = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b, v);
            stream.Write(b);
        }
    }

    private static float[] ReadFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 4];
        if (BitConverter.IsLittleEndian) bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        else
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        return values;
    }
}
