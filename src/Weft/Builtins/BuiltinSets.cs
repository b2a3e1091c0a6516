using System.Diagnostics.CodeAnalysis;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Builtins;

/// <summary>The builtin sets Weft provides, by set name, each with its import module name and its functions.</summary>
internal static class BuiltinSets
{
    private static readonly ValType ExternRef = ValType.ExternRef;
    private static readonly ValType RefExtern = ValType.Ref(HeapType.Extern, nullable: false);
    private static readonly ValType I32 = ValType.I32;

    private static readonly Dictionary<string, Dictionary<string, BuiltinFunction>> Sets = new(StringComparer.Ordinal)
    {
        [WasmModuleOptions.JsString] = ByName(JsString()),
        [WasmModuleOptions.TextDecoder] = ByName(TextDecoder()),
        [WasmModuleOptions.TextEncoder] = ByName(TextEncoder()),
        [WasmModuleOptions.ArraySimd] = ByName(ArraySimdBuiltins.All()),
    };

    /// <summary>The module name a set's builtins are imported from: <c>"wasm:" + set</c>, or the set name itself when it has a colon.</summary>
    public static string ModuleNameOf(string set) => set.Contains(':') ? set : "wasm:" + set;

    /// <summary>The builtin an import names under the enabled sets, or null (an ordinary import).</summary>
    public static BuiltinFunction? Find(IReadOnlySet<string> enabled, string module, string name)
    {
        foreach (var set in enabled)
        {
            if (Sets.TryGetValue(set, out var functions) && ModuleNameOf(set) == module && functions.TryGetValue(name, out var builtin))
            {
                return builtin;
            }
        }
        return null;
    }

    private static Dictionary<string, BuiltinFunction> ByName(IEnumerable<BuiltinFunction> functions) =>
        functions.ToDictionary(f => f.Name, StringComparer.Ordinal);

    // The function types are the JS API's, exactly: (func (param externref) (result i32)) and so on.
    private static BuiltinFunction Plain([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type helpers, string name, ValType[] parameters, ValType[] results, string? method = null)
    {
        string text = TypeText(parameters, results, "");
        return BuiltinFunction.Exact(helpers, name, engine => BuiltinTypes.Func(engine, text, () => parameters, () => results), text, method);
    }

    // A type over the standalone (array (mut i16)) or (array (mut i8)) of the engine.
    private static BuiltinFunction WithArray([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type helpers, string name, Func<ValType, ValType[]> parameters, Func<ValType, ValType[]> results,
        Func<Engine, DefinedType> array, string arrayText)
    {
        string text = TypeText(parameters(ValType.Ref(HeapType.Array, nullable: true)), results(ValType.Ref(HeapType.Array, nullable: false)), arrayText);
        return BuiltinFunction.Exact(helpers, name, engine =>
        {
            var type = array(engine);
            return BuiltinTypes.Func(engine, text, () => parameters(type.Ref(true)), () => results(type.Ref(false)));
        }, text);
    }

    private static string TypeText(ValType[] parameters, ValType[] results, string arrayText)
    {
        string Name(ValType t) => t.IsRef && t.Heap.Kind == HeapKind.Array && arrayText.Length > 0
            ? (t.Nullable ? $"(ref null {arrayText})" : $"(ref {arrayText})")
            : t.ToString();
        string p = parameters.Length == 0 ? "" : $" (param {string.Join(' ', parameters.Select(Name))})";
        string r = results.Length == 0 ? "" : $" (result {string.Join(' ', results.Select(Name))})";
        return $"(func{p}{r})";
    }

    private static IEnumerable<BuiltinFunction> JsString()
    {
        var h = typeof(JsStringHelpers);
        const string a16 = "(array (mut i16))";
        yield return Plain(h, "test", [ExternRef], [I32]);
        yield return Plain(h, "cast", [ExternRef], [RefExtern]);
        yield return WithArray(h, "fromCharCodeArray", a => [a, I32, I32], _ => [RefExtern], BuiltinTypes.ArrayMutI16, a16);
        yield return WithArray(h, "intoCharCodeArray", a => [ExternRef, a, I32], _ => [I32], BuiltinTypes.ArrayMutI16, a16);
        yield return Plain(h, "fromCharCode", [I32], [RefExtern]);
        yield return Plain(h, "fromCodePoint", [I32], [RefExtern]);
        yield return Plain(h, "charCodeAt", [ExternRef, I32], [I32]);
        yield return Plain(h, "codePointAt", [ExternRef, I32], [I32]);
        yield return Plain(h, "length", [ExternRef], [I32]);
        yield return Plain(h, "concat", [ExternRef, ExternRef], [RefExtern]);
        yield return Plain(h, "substring", [ExternRef, I32, I32], [RefExtern]);
        yield return Plain(h, "equals", [ExternRef, ExternRef], [I32], nameof(JsStringHelpers.EqualsBuiltin));
        yield return Plain(h, "compare", [ExternRef, ExternRef], [I32]);
    }

    private static IEnumerable<BuiltinFunction> TextDecoder()
    {
        yield return WithArray(typeof(TextHelpers), "decodeStringFromUTF8Array", a => [a, I32, I32], _ => [RefExtern], BuiltinTypes.ArrayMutI8, "(array (mut i8))");
    }

    private static IEnumerable<BuiltinFunction> TextEncoder()
    {
        var h = typeof(TextHelpers);
        const string a8 = "(array (mut i8))";
        yield return Plain(h, "measureStringAsUTF8", [ExternRef], [I32]);
        yield return WithArray(h, "encodeStringIntoUTF8Array", a => [ExternRef, a, I32], _ => [I32], BuiltinTypes.ArrayMutI8, a8);
        yield return WithArray(h, "encodeStringToUTF8Array", _ => [ExternRef], a => [a], BuiltinTypes.ArrayMutI8, a8);
    }
}
