namespace Weft.Tests.Gc;

/// <summary>Instantiates small text modules for the GC tests.</summary>
internal static class GcTestModules
{
    public static Instance Instantiate(Store store, string wat, Linker? linker = null) =>
        (linker ?? new Linker()).Instantiate(store, WasmModule.FromText(wat));

    public static Function Func(this Instance instance, string name) =>
        instance.GetFunction(name) ?? throw new InvalidOperationException($"no export {name}");

    public static object? Call(this Instance instance, string name, params WasmValue[] arguments) =>
        instance.Func(name).Invoke(arguments) is [var first, ..] ? (first.Kind == Weft.Syntax.ValKind.Ref ? first.AsReference() : first) : null;

    public static int CallI32(this Instance instance, string name, params WasmValue[] arguments) =>
        instance.Func(name).Invoke(arguments)[0].AsInt32();

    /// <summary>A module with a struct hierarchy, arrays of every storage type and accessors.</summary>
    public const string Shapes = """
        (module
          (type $point (sub (struct (field $x (mut i32)) (field $y f64))))
          (type $point3 (sub final $point (struct (field $x (mut i32)) (field $y f64) (field $z (mut i64)))))
          (type $packed (struct (field $b (mut i8)) (field $h (mut i16)) (field $r (mut (ref null $point)))))
          (type $bytes (array (mut i8)))
          (type $shorts (array (mut i16)))
          (type $ints (array (mut i32)))
          (type $longs (array (mut i64)))
          (type $floats (array (mut f32)))
          (type $doubles (array (mut f64)))
          (type $vectors (array (mut v128)))
          (type $points (array (mut (ref null $point))))
          (type $frozen (array i8))

          (func (export "point") (param i32 f64) (result (ref $point)) (struct.new $point (local.get 0) (local.get 1)))
          (func (export "point3") (param i32 f64 i64) (result (ref $point3)) (struct.new $point3 (local.get 0) (local.get 1) (local.get 2)))
          (func (export "x") (param (ref $point)) (result i32) (struct.get $point $x (local.get 0)))
          (func (export "y") (param (ref $point)) (result f64) (struct.get $point $y (local.get 0)))
          (func (export "packed") (result (ref $packed)) (struct.new_default $packed))
          (func (export "b_s") (param (ref $packed)) (result i32) (struct.get_s $packed $b (local.get 0)))
          (func (export "h_s") (param (ref $packed)) (result i32) (struct.get_s $packed $h (local.get 0)))
          (func (export "bytes") (param i32) (result (ref $bytes)) (array.new_default $bytes (local.get 0)))
          (func (export "get_u8") (param (ref $bytes) i32) (result i32) (array.get_u $bytes (local.get 0) (local.get 1)))
          (func (export "set_u8") (param (ref $bytes) i32 i32) (array.set $bytes (local.get 0) (local.get 1) (local.get 2)))
          (func (export "shorts") (result (ref $shorts)) (array.new_fixed $shorts 2 (i32.const -1) (i32.const 2)))
          (func (export "ints") (result (ref $ints)) (array.new $ints (i32.const 7) (i32.const 3)))
          (func (export "longs") (result (ref $longs)) (array.new_default $longs (i32.const 1)))
          (func (export "floats") (result (ref $floats)) (array.new_default $floats (i32.const 1)))
          (func (export "doubles") (result (ref $doubles)) (array.new_default $doubles (i32.const 1)))
          (func (export "vectors") (result (ref $vectors)) (array.new_default $vectors (i32.const 1)))
          (func (export "points") (result (ref $points)) (array.new_default $points (i32.const 2)))
          (func (export "frozen") (result (ref $frozen)) (array.new_fixed $frozen 3 (i32.const 1) (i32.const 2) (i32.const 3)))
          (func (export "sum_ints") (param (ref $ints)) (result i32)
            (local $i i32) (local $s i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (array.len (local.get 0))))
                (local.set $s (i32.add (local.get $s) (array.get $ints (local.get 0) (local.get $i))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (local.get $s))
          (func (export "is_point") (param anyref) (result i32) (ref.test (ref $point) (local.get 0)))
          (func (export "is_point3") (param anyref) (result i32) (ref.test (ref $point3) (local.get 0)))
          (func (export "is_eq") (param anyref) (result i32) (ref.test (ref eq) (local.get 0)))
          (func (export "internalize") (param externref) (result anyref) (any.convert_extern (local.get 0)))
          (func (export "externalize") (param anyref) (result externref) (extern.convert_any (local.get 0)))
          (func (export "i31") (param i32) (result i31ref) (ref.i31 (local.get 0)))
          (func (export "i31_s") (param i31ref) (result i32) (i31.get_s (local.get 0)))
        )
        """;
}
