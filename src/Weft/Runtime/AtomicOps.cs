using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// The threads proposal's atomic accesses, called from compiled code with a bounds-checked, aligned pointer into a
/// memory. Values travel as u64 (narrow ones zero-extended) so one helper serves i32 and i64. Every access is
/// sequentially consistent: loads are Volatile.Read (a plain load on x64, ldar on arm64) and every write is an
/// Interlocked operation (a locked instruction / full barrier), the standard seq-cst mapping.
/// </summary>
internal static unsafe class AtomicOps
{
    /// <summary>The read-modify-write operations, in binary opcode order.</summary>
    public const int Add = 0, Sub = 1, And = 2, Or = 3, Xor = 4, Xchg = 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(byte* p, int width) => width switch
    {
        1 => Volatile.Read(ref *p),
        2 => Volatile.Read(ref *(ushort*)p),
        4 => Volatile.Read(ref *(uint*)p),
        _ => Volatile.Read(ref *(ulong*)p),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(byte* p, ulong value, int width)
    {
        switch (width)
        {
            case 1: Interlocked.Exchange(ref *p, (byte)value); break;
            case 2: Interlocked.Exchange(ref *(ushort*)p, (ushort)value); break;
            case 4: Interlocked.Exchange(ref *(uint*)p, (uint)value); break;
            default: Interlocked.Exchange(ref *(ulong*)p, value); break;
        }
    }

    /// <summary>An atomic read-modify-write; returns the old value, zero-extended.</summary>
    public static ulong ReadModifyWrite(byte* p, ulong operand, int width, int op)
    {
        switch (width)
        {
            case 4 when op == Add: return (uint)Interlocked.Add(ref *(int*)p, (int)operand) - (uint)operand;
            case 4 when op == Sub: return (uint)Interlocked.Add(ref *(int*)p, -(int)operand) + (uint)operand;
            case 4 when op == And: return Interlocked.And(ref *(uint*)p, (uint)operand);
            case 4 when op == Or: return Interlocked.Or(ref *(uint*)p, (uint)operand);
            case 4 when op == Xchg: return Interlocked.Exchange(ref *(uint*)p, (uint)operand);
            case 8 when op == Add: return (ulong)Interlocked.Add(ref *(long*)p, (long)operand) - operand;
            case 8 when op == Sub: return (ulong)Interlocked.Add(ref *(long*)p, -(long)operand) + operand;
            case 8 when op == And: return Interlocked.And(ref *(ulong*)p, operand);
            case 8 when op == Or: return Interlocked.Or(ref *(ulong*)p, operand);
            case 8 when op == Xchg: return Interlocked.Exchange(ref *(ulong*)p, operand);
            case 1 when op == Xchg: return Interlocked.Exchange(ref *p, (byte)operand);
            case 2 when op == Xchg: return Interlocked.Exchange(ref *(ushort*)p, (ushort)operand);
        }
        // The rest (xor, and 8/16-bit arithmetic) as a compare-exchange loop on the access's own width.
        while (true)
        {
            ulong old = Load(p, width);
            ulong replacement = Apply(old, operand, op);
            if (CompareExchange(p, old, replacement, width) == old) return old;
        }
    }

    /// <summary>An atomic compare-exchange; <paramref name="expected"/> is wrapped to the width first. Returns the old value.</summary>
    public static ulong CompareExchange(byte* p, ulong expected, ulong replacement, int width) => width switch
    {
        1 => Interlocked.CompareExchange(ref *p, (byte)replacement, (byte)expected),
        2 => Interlocked.CompareExchange(ref *(ushort*)p, (ushort)replacement, (ushort)expected),
        4 => Interlocked.CompareExchange(ref *(uint*)p, (uint)replacement, (uint)expected),
        _ => Interlocked.CompareExchange(ref *(ulong*)p, replacement, expected),
    };

    private static ulong Apply(ulong old, ulong operand, int op) => op switch
    {
        Add => old + operand,
        Sub => old - operand,
        And => old & operand,
        Or => old | operand,
        Xor => old ^ operand,
        _ => operand,
    };

    /// <summary>
    /// memory.atomic.wait32/64: traps on an unshared memory; 0 woken, 1 not equal, 2 timed out. <paramref name="meter"/>
    /// is the executing store when the code is metered, else null: an interrupt of that store ends the wait with a trap.
    /// </summary>
    public static int Wait(byte* p, ulong address, long expected, long timeout, bool wide, Memory memory, Store? meter)
    {
        if (memory.Waiters is not { } waiters) throw TrapFactory.Create(TrapKind.ExpectedSharedMemory);
        return waiters.Wait(address, p, wide ? expected : (int)expected, wide, timeout, meter);
    }

    /// <summary>memory.atomic.notify: the number of waiters woken (always 0 on an unshared memory, which has none).</summary>
    public static int Notify(ulong address, int count, Memory memory) =>
        memory.Waiters is { } waiters ? waiters.Notify(address, (uint)count) : 0;
}
