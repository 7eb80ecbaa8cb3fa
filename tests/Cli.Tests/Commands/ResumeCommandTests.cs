using System.Diagnostics;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;
using DlBook.Trainers.Networks;
using DlBook.Trainers.Packaging;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Cli.Tests.Commands;

/// <summary>
/// dlbook train mlp --checkpoint … --resume: a run killed (SIGKILL) in the middle of an epoch resumes from the last
/// finished epoch and ends with weights bit-identical to a run that was never interrupted.
/// </summary>
public sealed class ResumeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-resume-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);
    private string Tmp(string name) => Path.Combine(_dir, name);

    // Dropout, Adam (moments and step counts), early stopping with best weights and a validation set: every piece of
    // state a resumed run must carry. Epochs of about a second, so a kill lands inside one.
    private static string[] Args(string checkpoint, string model, int epochs = 8, string lr = "0.001") =>
    [
        "train", "mlp", "--data-dir", SharedData.Root, "--hidden", "64", "--dropout", "0.2", "--optimizer", "Adam", "--lr", lr,
        "--patience", "3", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch-size", "10", "--train-rows", "40000", "--validation-rows", "5000", "--seed", "3",
        "--checkpoint", checkpoint, "--out", model, "--quiet",
    ];

    [Fact]
    public async Task A_run_killed_mid_epoch_resumes_and_ends_bit_identical_to_an_uninterrupted_run()
    {
        var whole = CliRunner.Run(Args(Tmp("whole-ck.zip"), Tmp("whole.zip")));
        Assert.True(whole.ExitCode == 0, whole.Error);

        // The same run in a child process, killed at a random moment of epoch 3 or later (after the state of epoch 2 exists).
        var state = Tmp("ck.zip.state");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dlbook.dll"));
        foreach (var a in Args(Tmp("ck.zip"), Tmp("resumed.zip"))) psi.ArgumentList.Add(a);
        string log;
        using (var p = Process.Start(psi)!)
        {
            var watch = Stopwatch.StartNew();
            int epochsSaved = 0;
            string trace = "";
            while (epochsSaved < 2 && !p.HasExited && watch.Elapsed < TimeSpan.FromSeconds(120))
            {
                Thread.Sleep(10);
                int e = SavedEpochs(state);
                if (e != epochsSaved) trace += $" {e}@{watch.Elapsed.TotalSeconds:F2}";
                epochsSaved = e;
            }
            if (p.HasExited) Assert.Fail("the run ended before it could be killed: " + await p.StandardError.ReadToEndAsync());
            var seen = watch.Elapsed;
            await Task.Delay(new Random(5).Next(0, 150));
            p.Kill();   // SIGKILL
            log = trace + $" state of epoch {epochsSaved} seen at {seen.TotalSeconds:F2} s, killed at {watch.Elapsed.TotalSeconds:F2} s";
            Assert.True(p.WaitForExit(10_000), "the killed run did not exit");
        }
        int done = SavedEpochs(state);
        Assert.False(File.Exists(Tmp("resumed.zip")), $"the killed run finished before the kill (state of epoch {done}; {log})");
        Assert.InRange(done, 2, 7);

        var resumed = CliRunner.Run([.. Args(Tmp("ck.zip"), Tmp("resumed.zip")), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(Weights(Tmp("whole.zip")), Weights(Tmp("resumed.zip")));
        Assert.Equal(Weights(Tmp("whole-ck.zip")), Weights(Tmp("ck.zip")));   // the best-model checkpoint too
    }

    [Fact]
    public void Resume_with_other_options_names_the_flag_that_differs()
    {
        var first = CliRunner.Run(Args(Tmp("ck.zip"), Tmp("m.zip"), epochs: 1));
        Assert.True(first.ExitCode == 0, first.Error);
        var r = CliRunner.Run([.. Args(Tmp("ck.zip"), Tmp("m.zip"), epochs: 1, lr: "0.002"), "--resume"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--lr", r.Error);
        Assert.Contains("0.001", r.Error);
        Assert.Contains("0.002", r.Error);
        Assert.DoesNotContain("LearningRate", r.Error);
    }

    [Fact]
    public void Resume_without_a_checkpoint_or_its_state_is_exit_2_naming_the_flags()
    {
        var noCheckpoint = CliRunner.Run("train", "mlp", "--data-dir", SharedData.Root, "--resume", "--out", Tmp("m.zip"));
        Assert.Equal(2, noCheckpoint.ExitCode);
        Assert.Contains("--resume needs --checkpoint", noCheckpoint.Error);

        var noState = CliRunner.Run([.. Args(Tmp("none.zip"), Tmp("m.zip")), "--resume"]);
        Assert.Equal(2, noState.ExitCode);
        Assert.Contains("none.zip.state", noState.Error);
        Assert.Contains("without --resume", noState.Error);
        Assert.False(File.Exists(Tmp("m.zip")));
    }

    [Fact]
    public void A_damaged_state_file_is_exit_2_naming_it()
    {
        var first = CliRunner.Run(Args(Tmp("ck.zip"), Tmp("m.zip"), epochs: 1));
        Assert.True(first.ExitCode == 0, first.Error);
        var state = Tmp("ck.zip.state");
        var bytes = File.ReadAllBytes(state);
        File.WriteAllBytes(state, bytes[..(bytes.Length / 2)]);
        var r = CliRunner.Run([.. Args(Tmp("ck.zip"), Tmp("m2.zip"), epochs: 1), "--resume"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("ck.zip.state", r.Error);
        Assert.Contains("damaged", r.Error);
        Assert.False(File.Exists(Tmp("m2.zip")));
    }

    // The epoch count in the state file's header, 0 while there is none (the file is replaced atomically, so it is whole).
    private static int SavedEpochs(string state)
    {
        try
        {
            using var r = new BinaryReader(new FileStream(state, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            r.ReadString(); r.ReadInt32(); r.ReadString(); r.ReadUInt64();
            return r.ReadInt32();
        }
        catch (IOException) { return 0; }
    }

    private static byte[] Weights(string model)
    {
        var loaded = ModelFiles.Load(new MLContext(), model, out _);
        var network = loaded as NetworkTransformer ?? ((TransformerChain<ITransformer>)loaded).OfType<NetworkTransformer>().Single();
        return network.Model.Network.Parameters.SelectMany(p => System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.Value.Span).ToArray()).ToArray();
    }
}
