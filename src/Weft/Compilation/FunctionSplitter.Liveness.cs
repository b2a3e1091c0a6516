using Weft.Syntax;

namespace Weft.Compilation;

internal static partial class FunctionSplitter
{
    /// <summary>
    /// Which locals are live (may be read before being written again) before each instruction of a function body, so
    /// that a part is passed only the locals it reads before writing them and returns only those read after it
    /// (docs/RATIONALE.md, "Split parts pass only live locals"). A backward data-flow over the instructions, on the
    /// structured control flow the scan recorded. Not computed (null) for bodies with exception handlers, whose
    /// edges from every throwing instruction to a handler it does not model, or when the bit sets would be too big.
    /// </summary>
    private sealed class Liveness
    {
        // Bit sets of this many 64-bit words per instruction, one more set for the function's exit (always empty).
        private readonly int _words;
        private readonly ulong[] _live;

        private Liveness(int words, ulong[] live)
        {
            _words = words;
            _live = live;
        }

        // At most this many words of bit sets (32 MB), and this many sweeps: beyond them, no pruning.
        private const long MaxWords = 4_000_000;
        private const int MaxSweeps = 64;

        public static Liveness? Of(Scan scan)
        {
            int n = scan.Count;
            int locals = scan.LocalTypes.Length;
            if (locals == 0) return null;
            int words = (locals + 63) / 64;
            if ((long)(n + 1) * words > MaxWords) return null;
            var successors = Successors(scan);
            if (successors is null) return null;
            var live = new ulong[(n + 1) * words];
            var scratch = new ulong[words];
            for (int sweep = 0; ; sweep++)
            {
                if (sweep == MaxSweeps) return null;
                bool changed = false;
                for (int i = n - 1; i >= 0; i--)
                {
                    Array.Clear(scratch);
                    foreach (int s in successors[i])
                    {
                        int at = s * words;
                        for (int w = 0; w < words; w++) scratch[w] |= live[at + w];
                    }
                    int local = (int)scan.Index[i];
                    switch (scan.Op[i])
                    {
                        case Opcode.LocalGet:
                            scratch[local >> 6] |= 1UL << (local & 63);
                            break;
                        case Opcode.LocalSet:
                        case Opcode.LocalTee:
                            scratch[local >> 6] &= ~(1UL << (local & 63));
                            break;
                    }
                    int mine = i * words;
                    for (int w = 0; w < words; w++)
                    {
                        if (live[mine + w] == scratch[w]) continue;
                        live[mine + w] = scratch[w];
                        changed = true;
                    }
                }
                if (!changed) break;
            }
            return new Liveness(words, live);
        }

        /// <summary>The live locals before instruction <paramref name="i"/> (a slice of the sets).</summary>
        public ReadOnlyMemory<ulong> At(int i) => new(_live, i * _words, _words);

        /// <summary>The locals live on some edge from inside [first, end) to outside it (a fall-through or a branch out).</summary>
        public ReadOnlyMemory<ulong> Exiting(Scan scan, int first, int end)
        {
            var successors = Successors(scan)!;
            var union = new ulong[_words];
            for (int i = first; i < end; i++)
            {
                foreach (int s in successors[i])
                {
                    if (s >= first && s < end) continue;
                    for (int w = 0; w < _words; w++) union[w] |= _live[s * _words + w];
                }
            }
            return union;
        }

        public static bool Has(ReadOnlyMemory<ulong> set, int local) => (set.Span[local >> 6] & (1UL << (local & 63))) != 0;

        // Where control goes after each instruction; index Count is the function's exit. Null: a body with handlers.
        private static int[][]? Successors(Scan scan)
        {
            if (scan.Successors is not null) return scan.Successors;
            int n = scan.Count;
            var result = new int[n][];
            var opens = new List<int>();
            int exit = n;
            int Target(uint label)
            {
                if (label >= opens.Count) return exit; // the function's own frame: leaves it
                int opener = opens[opens.Count - 1 - (int)label];
                return scan.Op[opener] == Opcode.Loop ? opener : scan.Match[opener];
            }
            for (int i = 0; i < n; i++)
            {
                switch (scan.Op[i])
                {
                    case Opcode.Try:
                    case Opcode.TryTable:
                    case Opcode.Catch:
                    case Opcode.CatchAll:
                    case Opcode.Delegate:
                        return null;
                    case Opcode.Block:
                    case Opcode.Loop:
                        opens.Add(i);
                        result[i] = [i + 1];
                        break;
                    case Opcode.If:
                        int elseAt = scan.ElseOf[i];
                        result[i] = [i + 1, elseAt >= 0 ? elseAt + 1 : scan.Match[i]];
                        opens.Add(i);
                        break;
                    case Opcode.Else:
                        result[i] = [scan.Match[scan.Match[i]]];
                        break;
                    case Opcode.End:
                        if (opens.Count > 0)
                        {
                            opens.RemoveAt(opens.Count - 1);
                            result[i] = [i + 1];
                        }
                        else
                        {
                            result[i] = [exit];
                        }
                        break;
                    case Opcode.Br:
                        result[i] = [Target(scan.Index[i])];
                        break;
                    case Opcode.BrIf:
                    case Opcode.BrOnNull:
                    case Opcode.BrOnNonNull:
                    case Opcode.BrOnCast:
                    case Opcode.BrOnCastFail:
                        result[i] = [i + 1, Target(scan.Index[i])];
                        break;
                    case Opcode.BrTable:
                        result[i] = [.. scan.Tables[i].Labels.Select(Target).Distinct()];
                        break;
                    case Opcode.Return:
                    case Opcode.Unreachable:
                    case Opcode.Throw:
                    case Opcode.ThrowRef:
                    case Opcode.Rethrow:
                    case Opcode.ReturnCall:
                    case Opcode.ReturnCallIndirect:
                    case Opcode.ReturnCallRef:
                        result[i] = [];
                        break;
                    default:
                        result[i] = [i + 1];
                        break;
                }
            }
            scan.Successors = result;
            return result;
        }
    }
}
