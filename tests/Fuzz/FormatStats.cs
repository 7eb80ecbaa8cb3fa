using System.Text.Json.Nodes;

namespace DlBook.Fuzz;

/// <summary>Cases of one format and the outcomes of each target on them.</summary>
public sealed class FormatStats(FuzzFormat format)
{
    private readonly Dictionary<string, Dictionary<Outcome, int>> _outcomes =
        format.Targets.ToDictionary(t => t.Name, _ => new Dictionary<Outcome, int>());
    private double _slowest;

    public int Cases { get; set; }
    public int Runs => _outcomes.Values.Sum(d => d.Values.Sum());

    public void Count(string target, RunResult r)
    {
        var d = _outcomes[target];
        d[r.Outcome] = d.GetValueOrDefault(r.Outcome) + 1;
        _slowest = Math.Max(_slowest, r.Seconds);
    }

    public JsonObject ToJson()
    {
        var total = new Dictionary<Outcome, int>();
        foreach (var d in _outcomes.Values)
            foreach (var (k, v) in d) total[k] = total.GetValueOrDefault(k) + v;
        return new JsonObject
        {
            ["cases"] = Cases,
            ["runs"] = Runs,
            ["outcomes"] = Outcomes(total),
            ["slowestRunSeconds"] = Math.Round(_slowest, 2),
            ["targets"] = new JsonObject(_outcomes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Outcomes(kv.Value)))),
        };
    }

    private static JsonObject Outcomes(Dictionary<Outcome, int> counts) =>
        new(counts.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)kv.Value)));
}
