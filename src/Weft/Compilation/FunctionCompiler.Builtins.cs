using System.Reflection.Emit;
using Weft.Builtins;
using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Compilation;

// Calls to builtin imports (WasmModuleOptions): no Function object, no calli, no host adapter. The arguments are
// already on the IL stack in the helper's CLR types, so the call is one IL call of a static helper, which RyuJIT
// inlines when it is small (charCodeAt, length, the array SIMD loads and stores): in a loop the builtin costs what the
// same C# costs. A return_call to a builtin is a call then a return (a builtin never recurses into wasm).
internal sealed partial class FunctionCompiler
{
    private bool TryEmitBuiltinCall(uint functionIndex, FuncType type, bool tail)
    {
        if (_module.Valid.Builtins?.FunctionAt(functionIndex) is not { } builtin) return false;
        if (builtin.TakesResultType)
        {
            // The canonical array type the helper creates: the result's, a type of this module.
            var arrayType = ValidModule.DefinedTypeOf(_module.Valid.Functions[(int)functionIndex].Results[0].Heap);
            EmitLoadCanonicalType((uint)_module.Valid.TypeIndexOf(arrayType));
        }
        Call(builtin.Method);
        Pop(type.Params.Count);
        var results = type.Results.Select(ClrTypes.KindOf).ToArray();
        if (results.Length == 1) Push(results[0]);
        if (tail) EmitReturn();
        return true;
    }
}
