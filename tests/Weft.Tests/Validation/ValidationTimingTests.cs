using System.Diagnostics;
using Weft.Binary;
using Weft.Syntax;
using Weft.Tests.Robustness;
using Weft.Validation;
using static Weft.Tests.Validation.ModuleBuilder;

namespace Weft.Tests.Validation;

/// <summary>
/// Validation time grows linearly with the code. A timing test: it runs alone, after the parallel tests (with the
/// compiler's scaling tests under load it measured 176-281x for 16x the code, and passed when run alone).
/// </summary>
[Collection(nameof(TimingCollection))]
public sealed class ValidationTimingTests
{
    [Fact]
    public void ValidationTimeIsLinear()
    {
        // One function of n blocks: time must grow about linearly with n (a per-instruction scan of the frames or
        // locals would make it quadratic). The best of a few runs keeps a busy machine from deciding the outcome.
        static Module Make(int blocks)
        {
            var b = new ModuleBuilder();
            b.Memory(1);
            uint ft = b.FuncType([ValType.I32, ValType.I32], [ValType.I32]);
            var body = new Code();
            body.Op(Opcode.LocalGet, 0).Op(Opcode.LocalSet, 2);
            for (int i = 0; i < blocks; i++)
            {
                body.Block(BlockType.Empty)
                    .Op(Opcode.LocalGet, 2).Op(Opcode.LocalGet, 1).Op(Opcode.I32Add).Op(Opcode.LocalTee, 2)
                    .MemArg(Opcode.I32Load, 2, 8).I32(3).Op(Opcode.I32Mul).Op(Opcode.BrIf, 0)
                    .Op(Opcode.LocalGet, 2).Op(Opcode.LocalGet, 0).Op(Opcode.Call, 0).Op(Opcode.LocalSet, 2);
            }
            for (int i = 0; i < blocks; i++) body.End();
            body.Op(Opcode.LocalGet, 2).End();
            b.RawFunction(ft, body.ToArray(), new LocalDecl(1, ValType.I32));
            return b.Build();
        }
        static double Best(Module module)
        {
            double best = double.MaxValue;
            for (int i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                Validator.Validate(module);
                best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
            }
            return best;
        }
        var small = Make(5_000);
        var large = Make(80_000);
        TimingCollection.CollectEarlierGarbage();
        Best(large);
        Best(small);
        double ratio = Best(large) / Best(small);
        // 16x the code: linear is ~16x, quadratic ~256x. The wide margin keeps a loaded machine from failing it.
        Assert.True(ratio < 90, $"16x the code took {ratio:F1}x the time");
    }
}
