using Weft.Binary;
using Weft.Syntax;

namespace Weft.Tests.Binary;

/// <summary>
/// The decoder shares the local declarations of consecutive bodies whose encoded declarations are the same bytes
/// (issue 17: one array per body was a good part of decoding's allocation). Sharing must not change what any body
/// declares, and a body with other declarations gets its own.
/// </summary>
public sealed class LocalDeclSharingTests
{
    [Fact]
    public void RepeatedDeclarationsShareOneArrayAndOthersDecodeInFull()
    {
        byte[] binary = WasmModule.FromText("""
            (module
              (func (local i32 f64))
              (func (local i32 f64))
              (func (local i64) (local i64))
              (func (local i32 f64))
              (func)
              (func))
            """).ToBinary();
        var codes = ModuleReader.Read(binary).Codes;
        Assert.Equal(6, codes.Count);
        Assert.Equal([new LocalDecl(1, ValType.I32), new LocalDecl(1, ValType.F64)], codes[0].Locals);
        Assert.Same(codes[0].LocalDecls, codes[1].LocalDecls);
        Assert.Equal(ValType.I64, Assert.Single(codes[2].Locals.Distinct()).Type);
        Assert.Equal(2u, (uint)codes[2].Locals.Sum(d => d.Count));
        Assert.Equal(codes[0].Locals, codes[3].Locals); // not the last distinct one: decoded again, same result
        Assert.Empty(codes[4].Locals);
        Assert.Empty(codes[5].Locals);
        for (int i = 0; i < codes.Count; i++)
        {
            Assert.Equal(0x0B, codes[i].Code.Span[^1]); // each body still starts after its own declarations
        }
    }
}
