using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Weft.Runtime;

namespace Weft.Builtins;

/// <summary>
/// The <c>weft:array-simd</c> builtins: a 128-bit load or store at an element index of a packed or numeric GC array
/// (docs/BUILTINS-ARRAY-SIMD.md). A GC array's elements are a .NET <c>T[]</c>, so each is a bounds check and one
/// unaligned Vector128 access to the array's storage; compiled code calls them directly and RyuJIT inlines them.
/// The import's type guarantees the element type (checked when the module was created; validation makes every
/// argument a value of that type, on the function-object path too, whose callers are type-checked), so the array is
/// reinterpreted as <c>GcArray&lt;T&gt;</c> without a cast.
/// </summary>
internal static class ArraySimdHelpers
{
    /// <summary>16 bytes starting at element <paramref name="index"/>; traps null or "out of bounds array access".</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Load<T>(object? array, int index) where T : unmanaged
    {
        ref T start = ref Element<T>(array, index);
        return Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.As<T, byte>(ref start));
    }

    /// <summary>Stores 16 bytes starting at element <paramref name="index"/>; traps as <see cref="Load{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(object? array, int index, Vector128<byte> value) where T : unmanaged
    {
        ref T start = ref Element<T>(array, index);
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref start), value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref T Element<T>(object? array, int index) where T : unmanaged
    {
        // `throw` here, not a call of a throwing helper: RyuJIT then knows the failing paths do not return and keeps
        // the loop's values in registers (a call that may return made it spill the splat and the array every
        // iteration: 77 us per MiB instead of the figure in docs/RATIONALE.md).
        if (array is null) throw TrapFactory.Create(TrapKind.NullArrayReference);
        var elements = Unsafe.As<GcArray<T>>(array).Elements;
        // index + lanes <= length, in 64 bits so that a huge unsigned index cannot wrap.
        if ((ulong)(uint)index + (ulong)(16 / Unsafe.SizeOf<T>()) > (ulong)elements.Length) throw TrapFactory.Create(TrapKind.OutOfBoundsArrayAccess);
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(elements), (nint)(uint)index);
    }
}
