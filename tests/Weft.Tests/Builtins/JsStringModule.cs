namespace Weft.Tests.Builtins;

/// <summary>
/// A module that imports every <c>wasm:js-string</c> builtin with the JS API's type and exports, for each, a wasm
/// function calling it directly (<c>name</c>, the inlined path) and the import itself re-exported (<c>name_ref</c>,
/// the function-object path), as the JS API's basic.any.js does.
/// </summary>
internal static class JsStringModule
{
    public static readonly (string Name, string Params, string Results)[] Builtins =
    [
        ("test", "externref", "i32"),
        ("cast", "externref", "(ref extern)"),
        ("fromCharCodeArray", "(ref null $a16) i32 i32", "(ref extern)"),
        ("intoCharCodeArray", "externref (ref null $a16) i32", "i32"),
        ("fromCharCode", "i32", "(ref extern)"),
        ("fromCodePoint", "i32", "(ref extern)"),
        ("charCodeAt", "externref i32", "i32"),
        ("codePointAt", "externref i32", "i32"),
        ("length", "externref", "i32"),
        ("concat", "externref externref", "(ref extern)"),
        ("substring", "externref i32 i32", "(ref extern)"),
        ("equals", "externref externref", "i32"),
        ("compare", "externref externref", "i32"),
    ];

    public static string Text()
    {
        var text = new System.Text.StringBuilder("(module\n  (type $a16 (array (mut i16)))\n");
        foreach (var (name, p, r) in Builtins)
        {
            text.Append($"  (import \"wasm:js-string\" \"{name}\" (func ${name} (param {p}) (result {r})))\n");
        }
        foreach (var (name, p, r) in Builtins)
        {
            int count = p.Replace("(ref null $a16)", "A").Split(' ').Length;
            string args = string.Concat(Enumerable.Range(0, count).Select(i => $" (local.get {i})"));
            text.Append($"  (func (export \"{name}\") (param {p}) (result {r}) (call ${name}{args}))\n");
            text.Append($"  (export \"{name}_ref\" (func ${name}))\n");
        }
        text.Append("""
              (func (export "newArray") (param i32) (result (ref $a16)) (array.new_default $a16 (local.get 0)))
              (func (export "arrayGet") (param (ref $a16) i32) (result i32) (array.get_u $a16 (local.get 0) (local.get 1)))
              (func (export "arraySet") (param (ref $a16) i32 i32) (array.set $a16 (local.get 0) (local.get 1) (local.get 2)))
              ;; A loop over a string: the sum of its code units (charCodeAt and length in a loop, inlined).
              (func (export "sum") (param $s externref) (result i32)
                (local $i i32) (local $n i32) (local $sum i32)
                (local.set $n (call $length (local.get $s)))
                (block $done
                  (loop $next
                    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                    (local.set $sum (i32.add (local.get $sum) (call $charCodeAt (local.get $s) (local.get $i))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $next)))
                (local.get $sum))
              ;; return_call of a builtin.
              (func (export "tailLength") (param externref) (result i32) (return_call $length (local.get 0)))
            )
            """);
        return text.ToString();
    }
}
