using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DlBook.Engine.Diagnostics;
using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Pipelines.IO;

namespace DlBook.Trainers.Training;

/// <summary>
/// The training state written after every epoch when <see cref="TrainingSetup.StatePath"/> is set: the run's
/// fingerprint and seed, the epochs done, the history, every parameter, the optimiser's slots, the dropout layers' and
/// the augmentation's generators, and each callback's own state. A run started with <see cref="TrainingSetup.Resume"/>
/// reads it back and continues with the next epoch, ending with the same bits as a run that was never interrupted
/// (the shuffle of an epoch is a function of the seed and the epoch alone). Written atomically: a kill leaves the
/// previous epoch's file or this one.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string Magic = "DLBOOK-TRAINING-STATE";
    private const int Version = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>What the header of a state file says.</summary>
    internal sealed record Header(JsonObject Fingerprint, ulong Seed, int EpochsDone, bool Finished);

    public static void Write(string path, TrainingSetup setup, TrainingState state, ulong seed, bool finished, Rng? augmentRng)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(Version);
            w.Write((setup.Fingerprint ?? new JsonObject()).ToJsonString());
            w.Write(seed);
            w.Write(state.Epoch);
            w.Write(finished);
            var h = state.History;
            w.Write(JsonSerializer.Serialize(new SavedHistory(h.Epochs.ToList(), h.InitialLearningSpeeds, h.InitialStepGradientNorms, h.StoppedEarly), Json));
            Section(w, s =>
            {
                var ps = state.Network.Parameters;
                s.Write(ps.Count);
                foreach (var p in ps)
                {
                    s.Write(p.Name);
                    s.Write(p.Value.Length);
                    s.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.Value.Span));
                }
            });
            Section(w, s =>
            {
                s.Write(setup.Optimizer.Name);
                setup.Optimizer.WriteState(s, state.Network.Parameters);
            });
            Section(w, s =>
            {
                var stochastic = StochasticLayers(state);
                s.Write(stochastic.Count);
                foreach (var l in stochastic) l.TrainingRandom.WriteState(s);
                s.Write(augmentRng is not null);
                augmentRng?.WriteState(s);
            });
            var callbacks = setup.Callbacks;
            w.Write(callbacks.Count);
            foreach (var cb in callbacks)
            {
                w.Write(cb.GetType().Name);
                Section(w, cb.WriteState);
            }
        });
    }

    /// <summary>Reads the header and checks that this run is the one that saved the file.</summary>
    public static Header ReadHeader(BinaryReader r, string path, JsonObject? fingerprint)
    {
        string magic;
        try { magic = r.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            throw Damaged(path, "it does not start with a training-state header", e);
        }
        if (magic != Magic) throw Damaged(path, "it does not start with a training-state header", null);
        int version = r.ReadInt32();
        if (version != Version)
            throw new TrainingStateException(path, $"it has format version {version}; this build reads version {Version}. Start the run over without resuming.");
        var saved = JsonNode.Parse(r.ReadString()) as JsonObject ?? throw Damaged(path, "its fingerprint is not a JSON object", null);
        var header = new Header(saved, r.ReadUInt64(), r.ReadInt32(), r.ReadBoolean());
        if (fingerprint is not null && Difference(saved, fingerprint) is { } diff)
            throw new TrainingStateException(path,
                $"it was saved by a run with {diff.Name} = {diff.Saved}; this run has {diff.Name} = {diff.Current}. Resume with the options of the run that saved it, or delete the file to start over.")
            { Option = diff.Name, SavedValue = diff.Saved, CurrentValue = diff.Current };
        return header;
    }

    /// <summary>Restores everything after the header into the setup's network, optimiser and callbacks and the state's history.</summary>
    public static void Restore(BinaryReader r, string path, TrainingSetup setup, TrainingState state, Rng? augmentRng)
    {
        var saved = JsonSerializer.Deserialize<SavedHistory>(r.ReadString(), Json) ?? throw Damaged(path, "its history is empty", null);
        var h = state.History;
        foreach (var e in saved.Epochs) h.Add(e);
        h.InitialLearningSpeeds = saved.InitialLearningSpeeds;
        h.InitialStepGradientNorms = saved.InitialStepGradientNorms;
        h.StoppedEarly = saved.StoppedEarly;
        ReadSection(r, path, "parameters", s =>
        {
            var ps = state.Network.Parameters;
            int count = s.ReadInt32();
            if (count != ps.Count) throw Damaged(path, $"it holds {count} parameters; the network has {ps.Count}", null);
            foreach (var p in ps)
            {
                string name = s.ReadString();
                int length = s.ReadInt32();
                if (name != p.Name || length != p.Value.Length)
                    throw Damaged(path, $"it holds parameter '{name}' of {length} values where the network has '{p.Name}' of {p.Value.Length}", null);
                s.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.Value.Span));
            }
        });
        ReadSection(r, path, "optimiser state", s =>
        {
            string name = s.ReadString();
            if (name != setup.Optimizer.Name) throw Damaged(path, $"it holds the state of optimiser {name}; this run uses {setup.Optimizer.Name}", null);
            setup.Optimizer.ReadState(s, state.Network.Parameters);
        });
        ReadSection(r, path, "random generators", s =>
        {
            var stochastic = StochasticLayers(state);
            int count = s.ReadInt32();
            if (count != stochastic.Count) throw Damaged(path, $"it holds {count} dropout generators; the network has {stochastic.Count}", null);
            foreach (var l in stochastic) l.TrainingRandom.ReadState(s);
            bool hasAugment = s.ReadBoolean();
            if (hasAugment != augmentRng is not null) throw Damaged(path, "its augmentation setting differs from this run's", null);
            augmentRng?.ReadState(s);
        });
        int callbacks = r.ReadInt32();
        if (callbacks != setup.Callbacks.Count) throw Damaged(path, $"it holds {callbacks} callbacks' state; this run has {setup.Callbacks.Count} callbacks", null);
        foreach (var cb in setup.Callbacks)
        {
            string type = r.ReadString();
            if (type != cb.GetType().Name) throw Damaged(path, $"it holds the state of callback {type} where this run has {cb.GetType().Name}", null);
            ReadSection(r, path, type, s => cb.OnTrainingResumed(state, s));
        }
    }

    private static List<IStochasticLayer> StochasticLayers(TrainingState state) =>
        state.Network.Layers.OfType<IStochasticLayer>().ToList();

    // Each part is length-prefixed, so a reader that takes too little or too much is caught at its boundary.
    private static void Section(BinaryWriter w, Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var s = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) write(s);
        w.Write(buffer.Length);
        w.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void ReadSection(BinaryReader r, string path, string what, Action<BinaryReader> read)
    {
        long length = r.ReadInt64();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
            throw Damaged(path, $"its {what} section claims {length:N0} bytes and the file has {r.BaseStream.Length - r.BaseStream.Position:N0} left", null);
        var bytes = r.ReadBytes((int)length);
        using var s = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        read(s);
        if (s.BaseStream.Position != length) throw Damaged(path, $"its {what} section has {length - s.BaseStream.Position:N0} bytes more than this build reads", null);
    }

    private static (string Name, string Saved, string Current)? Difference(JsonObject saved, JsonObject current)
    {
        foreach (var name in saved.Select(p => p.Key).Union(current.Select(p => p.Key)))
        {
            string a = saved[name]?.ToJsonString() ?? "(none)", b = current[name]?.ToJsonString() ?? "(none)";
            if (a != b) return (name, a, b);
        }
        return null;
    }

    private static TrainingStateException Damaged(string path, string what, Exception? inner) =>
        new(path, $"{what}. The file is damaged or from another run; delete it to start over.", inner);

    private sealed record SavedHistory(List<EpochRecord> Epochs, IReadOnlyList<LayerLearningSpeed>? InitialLearningSpeeds,
        IReadOnlyList<double>? InitialStepGradientNorms, bool StoppedEarly);
}

/// <summary>A training-state file (written for resuming) cannot be used: damaged, from another run, or from another version.</summary>
public sealed class TrainingStateException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public TrainingStateException(string path, string reason, Exception? inner = null)
        : base($"Cannot resume from the training state '{path}': {reason}", inner) => Path = path;

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>When the file is from a run with other options: the first option that differs (else null).</summary>
    public string? Option { get; init; }

    /// <summary>That option's value in the saved run (JSON).</summary>
    public string? SavedValue { get; init; }

    /// <summary>That option's value in this run (JSON).</summary>
    public string? CurrentValue { get; init; }
}
