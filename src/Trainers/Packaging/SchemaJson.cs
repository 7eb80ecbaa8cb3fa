using System.Text.Json.Nodes;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Packaging;

/// <summary>Writes a <see cref="DataSchema"/> as JSON for the package manifest and reads it back.</summary>
internal static class SchemaJson
{
    public static JsonArray ToJson(DataSchema schema) =>
        new(schema.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = TypeToJson(c.Type) }).ToArray());

    public static DataSchema FromJson(JsonArray array) =>
        new(array.Select(n =>
        {
            var o = n as JsonObject ?? throw new FormatException("a schema column is not a JSON object");
            string name = o["name"]?.GetValue<string>() ?? throw new FormatException("a schema column has no name");
            var type = o["type"] as JsonObject ?? throw new FormatException($"schema column '{name}' has no type");
            return new DataColumn(name, TypeFromJson(type, name));
        }));

    private static JsonObject TypeToJson(ColumnType type) => type switch
    {
        ScalarType => new JsonObject { ["kind"] = "Scalar" },
        KeyType k => new JsonObject
        {
            ["kind"] = "Key",
            ["count"] = k.Count,
            ["labelNames"] = k.LabelNames is null ? null : new JsonArray(k.LabelNames.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        },
        VectorType v => new JsonObject { ["kind"] = "Vector", ["shape"] = Ints(v.Shape) },
        SequenceType s => new JsonObject { ["kind"] = "Sequence", ["elementShape"] = Ints(s.ElementShape) },
        ImageType i => new JsonObject { ["kind"] = "Image", ["height"] = i.Height, ["width"] = i.Width, ["channels"] = i.Channels },
        TextType => new JsonObject { ["kind"] = "Text" },
        _ => throw new NotSupportedException($"Column type {type.Describe()} cannot be written to a model package."),
    };

    private static ColumnType TypeFromJson(JsonObject o, string column)
    {
        string kind = o["kind"]?.GetValue<string>() ?? throw new FormatException($"schema column '{column}' has no type kind");
        return kind switch
        {
            "Scalar" => ScalarType.Instance,
            "Key" => new KeyType(o["count"]!.GetValue<int>(), (o["labelNames"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToArray()),
            "Vector" => new VectorType(ReadInts(o["shape"])),
            "Sequence" => new SequenceType(ReadInts(o["elementShape"])),
            "Image" => new ImageType(o["height"]!.GetValue<int>(), o["width"]!.GetValue<int>(), o["channels"]!.GetValue<int>()),
            "Text" => TextType.Instance,
            _ => throw new FormatException($"schema column '{column}' has unknown type kind '{kind}'"),
        };
    }

    private static JsonArray Ints(int[] values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static int[] ReadInts(JsonNode? node) =>
        (node as JsonArray ?? throw new FormatException("a shape is not a JSON array")).Select(n => n!.GetValue<int>()).ToArray();
}
