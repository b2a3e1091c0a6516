namespace Weft.Fuzz;

/// <summary>Counts of a validator fuzzing run.</summary>
public sealed class ValidationStats
{
    public int Mutants;
    public int BothValid;
    public int BothInvalid;
    public int WeftOnlyValid;
    public int BinaryenOnlyValid;
}

/// <summary>
/// The validator against binaryen's: valid translate-to-fuzz modules are mutated (bytes changed inside the code
/// section only, where both engines implement the same instruction set for the feature set's flags) and each
/// mutant is judged by Weft (FromBytes: decode + validate) and by <c>wasm-opt</c> (parse + validate, exit code).
/// </summary>
public sealed class ValidatorFuzzer(Binaryen oracle, string workDirectory, string findingsDirectory, Action<string> log)
{
    /// <summary>Mutants per generated module.</summary>
    public int MutantsPerModule { get; init; } = 8;

    /// <summary>Runs <paramref name="count"/> generated modules' worth of mutants.</summary>
    public ValidationStats Run(FeatureSet features, int seed, int first, int count)
    {
        var stats = new ValidationStats();
        Directory.CreateDirectory(workDirectory);
        for (int index = first; index < first + count; index++)
        {
            string id = DifferentialRunner.CaseId(features.Name, seed, index);
            string input = Path.Combine(workDirectory, "in.bin");
            string wasmPath = Path.Combine(workDirectory, "gen.wasm");
            File.WriteAllBytes(input, DifferentialRunner.InputFor(seed, features.Name, index));
            var generated = oracle.Run("wasm-opt", [input, "-ttf", .. features.Flags, "-o", wasmPath]);
            if (generated.ExitCode != 0) continue;
            byte[] wasm = File.ReadAllBytes(wasmPath);
            if (CodeSection(wasm) is not var (start, end) || end - start < 8) continue;
            var random = new Random(seed * 31 + index);
            for (int m = 0; m < MutantsPerModule; m++)
            {
                byte[] mutant = (byte[])wasm.Clone();
                int at = random.Next(start, end);
                mutant[at] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)(mutant[at] ^ (1 << random.Next(8))),
                    _ => (byte)(mutant[at] + random.Next(-2, 3)),
                };
                stats.Mutants++;
                bool weftValid;
                string weftReason = "";
                try
                {
                    WasmModule.FromBytes(mutant);
                    weftValid = true;
                }
                catch (WeftException e)
                {
                    weftValid = false;
                    weftReason = e.Message;
                }
                string path = Path.Combine(workDirectory, "mutant.wasm");
                File.WriteAllBytes(path, mutant);
                var judged = oracle.Run("wasm-opt", [path, .. features.Flags, "-o", Path.Combine(workDirectory, "out.wasm")]);
                bool binaryenValid = judged.ExitCode == 0;
                if (weftValid && binaryenValid) stats.BothValid++;
                else if (!weftValid && !binaryenValid) stats.BothInvalid++;
                else
                {
                    if (weftValid) stats.WeftOnlyValid++;
                    else stats.BinaryenOnlyValid++;
                    string folder = Path.Combine(findingsDirectory, "validation", $"{id}-m{m}");
                    Directory.CreateDirectory(folder);
                    File.WriteAllBytes(Path.Combine(folder, "mutant.wasm"), mutant);
                    string binaryenReason = string.Join(" | ", judged.Stderr.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("warning", StringComparison.Ordinal)).Take(3));
                    File.WriteAllText(Path.Combine(folder, "verdicts.txt"),
                        $"weft: {(weftValid ? "valid" : "invalid: " + weftReason)}\nbinaryen: {(binaryenValid ? "valid" : "invalid: " + binaryenReason)}\nbyte offset {at}\n");
                    log($"VALIDATION {id}-m{m}: weft {(weftValid ? "valid" : "invalid (" + weftReason + ")")}, binaryen {(binaryenValid ? "valid" : "invalid (" + binaryenReason + ")")}");
                }
            }
        }
        return stats;
    }

    /// <summary>The code section's payload range, found by walking the section headers.</summary>
    private static (int Start, int End)? CodeSection(byte[] wasm)
    {
        int p = 8;
        while (p < wasm.Length)
        {
            byte id = wasm[p++];
            uint size = 0;
            int shift = 0;
            while (true)
            {
                byte b = wasm[p++];
                size |= (uint)(b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) break;
            }
            if (id == 10) return (p, p + (int)size);
            p += (int)size;
        }
        return null;
    }
}
