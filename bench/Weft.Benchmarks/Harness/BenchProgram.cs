namespace Weft.Benchmarks.Harness;

/// <summary>
/// One line of bench/programs/programs.txt: a C program built for wasm32-wasi (committed) and natively (by the
/// harness script), with its arguments. <c>{dir}</c> in the list becomes <see cref="ScratchName"/>: natively a
/// relative path in an empty working directory, under the engines the same name preopened onto that directory.
/// </summary>
internal sealed record BenchProgram(string Name, string[] Args, byte[] Wasm, string? ExpectedOutputPath)
{
    public const string ScratchName = "scratch";

    /// <summary>Whether the program is given the scratch directory.</summary>
    public bool NeedsScratch => Args.Contains(ScratchName);

    /// <summary>argv as the program sees it: its name, then its arguments.</summary>
    public string[] Argv => [Name, .. Args];

    /// <summary>Reads programs.txt and the committed .wasm files; <paramref name="only"/> keeps the named programs.</summary>
    public static List<BenchProgram> Load(string programsFolder, IReadOnlyCollection<string> only, bool oneRound = false)
    {
        // rounds.txt: how many rounds of its work each program does here (its last argument; see src/rounds.h).
        var rounds = new Dictionary<string, string>(StringComparer.Ordinal);
        string roundsFile = Path.Combine(programsFolder, "rounds.txt");
        if (!oneRound && File.Exists(roundsFile))
        {
            foreach (string line in File.ReadAllLines(roundsFile))
            {
                string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 2 && words[0][0] != '#') rounds[words[0]] = words[1];
            }
        }
        var programs = new List<BenchProgram>();
        foreach (string line in File.ReadAllLines(Path.Combine(programsFolder, "programs.txt")))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (only.Count > 0 && !only.Contains(words[0])) continue;
            programs.Add(new BenchProgram(
                words[0],
                [.. words.Skip(1).Select(w => w == "{dir}" ? ScratchName : w), .. rounds.TryGetValue(words[0], out var r) ? [r] : Array.Empty<string>()],
                File.ReadAllBytes(Path.Combine(programsFolder, "wasm", words[0] + ".wasm")),
                // expected/NAME.out is one round's output (build.sh runs programs.txt's arguments): it says nothing
                // about a run with more rounds, which is checked against the native build's output of the same run.
                rounds.ContainsKey(words[0]) ? null : Path.Combine(programsFolder, "expected", words[0] + ".out")));
        }
        if (programs.Count == 0) throw new InvalidOperationException("no benchmark programs selected");
        return programs;
    }
}

/// <summary>
/// A fresh temporary working directory for one run: an empty <c>scratch</c> folder and files for the program's
/// standard output and error. Deleted on dispose.
/// </summary>
internal sealed class RunFolder : IDisposable
{
    public RunFolder()
    {
        Root = Directory.CreateTempSubdirectory("weft-harness-").FullName;
        Scratch = Directory.CreateDirectory(Path.Combine(Root, BenchProgram.ScratchName)).FullName;
    }

    public string Root { get; }

    public string Scratch { get; }

    public string Stdout => Path.Combine(Root, "stdout.txt");

    public string Stderr => Path.Combine(Root, "stderr.txt");

    public byte[] ReadStdout() => File.Exists(Stdout) ? File.ReadAllBytes(Stdout) : [];

    public string ReadStderr() => File.Exists(Stderr) ? File.ReadAllText(Stderr) : "";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
