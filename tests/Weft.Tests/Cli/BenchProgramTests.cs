using Weft.Tests.Conformance;

namespace Weft.Tests.Cli;

/// <summary>
/// The C programs of bench/programs, built for wasm32-wasi and committed, run with <c>weft run</c> and print exactly
/// what their native builds printed (bench/programs/expected/*.out, recorded by bench/programs/build.sh from native
/// builds, so the tests need no C toolchain).
/// </summary>
public sealed class BenchProgramTests
{
    private static readonly string s_folder = Path.Combine(SpecSuite.RepositoryRoot, "bench", "programs");

    private static string[] Lines() =>
        File.ReadAllLines(Path.Combine(s_folder, "programs.txt")).Where(line => line.Length > 0 && line[0] != '#').ToArray();

    public static TheoryData<string> Programs() => [.. Lines()];

    [Theory]
    [MemberData(nameof(Programs))]
    public void OutputEqualsTheNativeBuild(string line) => RunAndCompare(line, []);

    /// <summary>The same with fuel and deadline checks compiled in (at every function entry and loop back-edge).</summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void OutputIsTheSameWithFuelAndDeadlineChecks(string line) => RunAndCompare(line, ["--fuel", "1000000000000", "--timeout", "10m"]);

    private static void RunAndCompare(string line, string[] options)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string name = words[0];
        string work = Directory.CreateTempSubdirectory("weft-program-").FullName;
        try
        {
            var args = new List<string> { "run", Path.Combine(s_folder, "wasm", name + ".wasm") };
            args.AddRange(options);
            if (words.Contains("{dir}"))
            {
                args.AddRange(["--dir", Directory.CreateDirectory(Path.Combine(work, "scratch")).FullName + "::scratch"]);
            }
            args.AddRange(words.Skip(1).Select(w => w == "{dir}" ? "scratch" : w));
            using var output = new StringWriter();
            using var error = new StringWriter();
            int exit = global::Weft.Cli.Program.Run([.. args], output, error);
            Assert.True(exit == 0, $"{name} exited with {exit}: {error}");
            Assert.Equal(File.ReadAllText(Path.Combine(s_folder, "expected", name + ".out")), output.ToString());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void EveryProgramHasItsSourceBinaryAndExpectedOutput()
    {
        foreach (string line in Lines())
        {
            string name = line.Split(' ')[0];
            Assert.True(File.Exists(Path.Combine(s_folder, "src", name + ".c")), name);
            Assert.True(File.Exists(Path.Combine(s_folder, "wasm", name + ".wasm")), name);
            Assert.True(File.Exists(Path.Combine(s_folder, "expected", name + ".out")), name);
        }
        Assert.True(Lines().Length >= 6);
    }
}
