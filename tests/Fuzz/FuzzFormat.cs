namespace DlBook.Fuzz;

/// <summary>One case's files: the mutated one, and the role of each file a target reads (the mutated one among them).</summary>
public sealed record CaseInput(string Mutated, IReadOnlyDictionary<string, string> Files, string OutDir)
{
    public string this[string role] => Files[role];
    public bool Has(string role) => Files.ContainsKey(role);
}

/// <summary>
/// One way a case reaches the program: the CLI's arguments (null when the target does not apply to this case) or a
/// library call; <see cref="Check"/> says what is wrong with a run that succeeded (null when its output is sane).
/// </summary>
public sealed record Target(string Name, Func<CaseInput, string[]?>? Cli = null, Action<CaseInput>? Library = null, Func<CaseInput, string?>? Check = null);

/// <summary>A file format the program reads: how a case's mutated file is made, and the targets that read it.</summary>
public sealed record FuzzFormat(string Name, Func<Random, List<string>, string, CaseInput> Make, Target[] Targets);
