using Weft.Binary;
using Weft.Syntax;

namespace Weft.Tests.Binary;

/// <summary>
/// A decoded module's bodies are records until asked for (DecodedBodies, issue 17): validation reads the records, the
/// compiler gets FunctionBody objects, one per body however many threads ask at once.
/// </summary>
public sealed class DecodedBodiesTests
{
    private static readonly byte[] s_binary = WasmModule.FromText("""
        (module
          (func (export "same") (param i32) (result i32) (local i64) (local.get 0))
          (func (export "seven") (result i32) (i32.const 7))
          (func (local f32 f32 f32)))
        """).ToBinary();

    [Fact]
    public void BodiesAreTheBytesOfTheCodeSectionAndStayTheSameObjects()
    {
        var codes = ModuleReader.Read(s_binary).Codes;
        Assert.IsType<DecodedBodies>(codes);
        Assert.Equal(3, codes.Count);
        Assert.Same(codes[1], codes[1]);
        Assert.Equal(new byte[] { 0x20, 0x00, 0x0B }, codes[0].Code.ToArray());
        Assert.Equal(new byte[] { 0x41, 0x07, 0x0B }, codes[1].Code.ToArray());
        Assert.Equal([new LocalDecl(1, ValType.I64)], codes[0].Locals);
        Assert.Equal(3u, (uint)codes[2].Locals.Sum(d => d.Count));
        foreach (var body in codes)
        {
            // The offset is the module offset of the code: the bytes there are the body's.
            Assert.Equal(body.Code.ToArray(), s_binary.AsSpan(body.Offset, body.Code.Length).ToArray());
            Assert.True(body.LocalsSize > 0);
        }
        Assert.Equal([codes[0], codes[1], codes[2]], codes.ToArray());
        Assert.Throws<IndexOutOfRangeException>(() => codes[3]);
        Assert.Throws<IndexOutOfRangeException>(() => codes[-1]);
    }

    [Fact]
    public void ThreadsAskingAtOnceGetOneObjectPerBody()
    {
        for (int round = 0; round < 20; round++)
        {
            var codes = ModuleReader.Read(s_binary).Codes;
            var seen = new FunctionBody[4][];
            using var start = new Barrier(seen.Length);
            var threads = Enumerable.Range(0, seen.Length).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                seen[t] = [codes[2], codes[0], codes[1]];
            })).ToArray();
            foreach (var thread in threads) thread.Start();
            foreach (var thread in threads) thread.Join();
            for (int t = 1; t < seen.Length; t++)
            {
                for (int i = 0; i < 3; i++) Assert.Same(seen[0][i], seen[t][i]);
            }
        }
    }

    [Fact]
    public void ADecodedModuleCompilesFromItsBodies()
    {
        var module = WasmModule.FromBytes(s_binary);
        using var store = new Store();
        var instance = new Linker().Instantiate(store, module);
        Assert.Equal(41, ((Function)instance.Exports["same"]).Invoke([WasmValue.FromInt32(41)])[0].AsInt32());
        Assert.Equal(7, ((Function)instance.Exports["seven"]).Invoke([])[0].AsInt32());
    }
}
