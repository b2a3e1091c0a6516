using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// Bounds-check elimination (docs/RATIONALE.md, "Bounds checks without guard pages"). .NET cannot turn an access
// violation into a trap, so every access that is not proven in range compares against the cached length. What is
// proven here rests on one rule (CONTRACTS: memories never shrink while code of the store runs; a revoked host
// memory has length 0): once "address + end <= length" held, it holds for the rest of the call.
//
// Two eliminations, both exact (the same trap at the same access, with the same memory state):
// - Groups: a load whose address is a local's value, or that value plus a constant (i32.add), looks ahead along the
//   straight line for more such loads from the same local (not written in between) with nothing between them that
//   has a side effect or may trap otherwise. One compare (local + largest end <= length) then covers them all, and
//   the later ones are compiled without a check. When that compare fails, an inline slow path checks each member
//   exactly, in order, and traps at the first that faults (only loads and pure instructions lie before it, so the
//   state is the same); if none faults (the additions wrapped around 2^32), execution goes on, every member having
//   been proven in range.
// - Constant addresses: a check of length >= max(end, the memory's declared minimum) covers every later constant
//   access below it wherever that check dominates. The minimum never traps wrongly: a memory is at least its
//   declared minimum, or revoked (length 0, where this access traps anyway). Facts are kept per control scope: a
//   nested block or if inherits its parent's, else/catch start again from the parent's, a scope's die at its end.
internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// None; Local: a local's value plus Addend; Const: a constant; Range: some i32 in [0, Const] (a masked, shifted
    /// or narrow loaded value); Indexed: a local's value plus Addend plus some i32 in [0, Const] (a table look-up
    /// <c>base + (x &amp; 1020)</c>), which only versioned loops use (FunctionCompiler.LoopVersioning.cs).
    /// </summary>
    private enum OriginKind : byte { None, Local, Const, Range, Indexed }

    /// <summary>
    /// Where the value in one operand stack slot came from, valid only while <see cref="Gen"/> is current: a constant,
    /// or the value of a local (at a version) plus <see cref="Addend"/> modulo 2^32.
    /// </summary>
    private struct Origin
    {
        public OriginKind Kind;
        public uint Local;
        public long Version;
        public ulong Const;
        public uint Addend;
        public long Gen;

        /// <summary>
        /// In a versioned loop's fast copy: the value of induction variable Local before its increment in this
        /// iteration (a copy taken before the increment, read after it), which only the versioning precheck may use.
        /// </summary>
        public bool BeforeIncrement;
    }

    private sealed class CheckScope
    {
        public ulong[] ConstCovered = [];

        public CheckScope Copy() => new() { ConstCovered = (ulong[])ConstCovered.Clone() };
    }

    /// <summary>One load of a group: its address is the group's local plus <see cref="Addend"/> (mod 2^32), then its offset.</summary>
    private readonly record struct GroupMember(int Position, uint Addend, ulong Offset, int Size)
    {
        public ulong End => Addend + Offset + (ulong)Size;
    }

    /// <summary>How far a load looks ahead for more loads from its address (instructions).</summary>
    private const int LookaheadLimit = 64;

    /// <summary>Set to false to compile every access with its own check (tests and measurements: WEFT_NO_BCE=1).</summary>
    internal static bool EliminateBoundsChecks = Environment.GetEnvironmentVariable("WEFT_NO_BCE") != "1";

    private Origin[] _origins = new Origin[16];
    private long _originGen = 1;
    private long[] _localStamps = [];
    private (Origin Source, long Stamp)[] _copies = [];
    private int[] _copyWrittenAt = [];
    private long _epoch;
    private long _stampCounter;
    private readonly List<CheckScope> _checkScopes = [];
    private readonly HashSet<int> _covered = [];
    private int _nextPosition;

    private void InitBoundsChecks()
    {
        _localStamps = new long[_localKinds.Length];
        _copies = new (Origin, long)[_localKinds.Length];
        _copyWrittenAt = new int[_localKinds.Length];
        _checkScopes.Add(new CheckScope { ConstCovered = new ulong[_module.MemoryTypes.Length] });
    }

    private long VersionOf(uint local) => Math.Max(_localStamps[local], _epoch);

    /// <summary>
    /// A local written with <paramref name="value"/>: when that is another local's value plus a constant, a later
    /// local.get of this one has the same origin while neither is rewritten (clang tees <c>p + 4</c> into a local
    /// for a load and a store of <c>p[1]</c>).
    /// </summary>
    private void NoteLocalWrite(uint local, Origin value = default)
    {
        _localStamps[local] = ++_stampCounter;
        _copies[local] = value.Kind == OriginKind.Local && value.Local != local && value.Gen == _originGen && !value.BeforeIncrement
            ? (value, _localStamps[local]) : default;
        _copyWrittenAt[local] = _nextPosition;
    }

    /// <summary>The origin of a local.get: the origin of the value written into the local when it still holds, else the local itself.</summary>
    private Origin LocalOrigin(uint local)
    {
        var (source, stamp) = _copies[local];
        if (source.Kind == OriginKind.Local && VersionOf(local) == stamp)
        {
            if (VersionOf(source.Local) == source.Version) return source;
            // The copy is from this iteration (no loop head or merge since), the source an induction variable written
            // only by its increment, and the copy taken before it: the copy is the variable's phase-0 value plus Addend.
            if (_versioned is { Fast: true } loop && IndexedOrigins && loop.Variables.TryGetValue(source.Local, out var variable)
                && _copyWrittenAt[local] <= variable.IncrementAt && _nextPosition > variable.IncrementAt)
            {
                source.BeforeIncrement = true;
                source.Version = VersionOf(source.Local);
                return source;
            }
        }
        return new Origin { Kind = OriginKind.Local, Local = local, Version = VersionOf(local) };
    }

    private void ClearOrigin(int slot)
    {
        if (slot >= _origins.Length) Array.Resize(ref _origins, Math.Max(slot + 1, _origins.Length * 2));
        _origins[slot] = default;
    }

    private void SetTopOrigin(OriginKind kind, uint local = 0, ulong value = 0)
    {
        SetTopOrigin(new Origin { Kind = kind, Local = local, Version = kind == OriginKind.Local ? VersionOf(local) : 0, Const = value });
    }

    private void SetTopOrigin(Origin origin)
    {
        int slot = _stack.Count - 1;
        ClearOrigin(slot);
        origin.Gen = _originGen;
        _origins[slot] = origin;
    }

    private Origin OriginAt(int depth)
    {
        int slot = _stack.Count - 1 - depth;
        if (slot < 0 || slot >= _origins.Length || _origins[slot].Gen != _originGen) return default;
        return _origins[slot];
    }

    /// <summary>i32.add of a local's value (plus a constant) and a constant: the sum keeps the local as its origin.</summary>
    private void EmitI32Add()
    {
        var left = OriginAt(1);
        var right = OriginAt(0);
        TryEmitNumeric(Opcode.I32Add);
        if (left.Kind == OriginKind.Const && right.Kind == OriginKind.Local) (left, right) = (right, left);
        if (left.Kind == OriginKind.Local && right.Kind == OriginKind.Const)
        {
            left.Addend = unchecked(left.Addend + (uint)right.Const);
            SetTopOrigin(left);
            return;
        }
        if (!IndexedOrigins) return;
        if (left.Kind == OriginKind.Const && right.Kind == OriginKind.Indexed) (left, right) = (right, left);
        if (left.Kind == OriginKind.Indexed && right.Kind == OriginKind.Const)
        {
            left.Addend = unchecked(left.Addend + (uint)right.Const);
            SetTopOrigin(left);
            return;
        }
        if (left.Kind == OriginKind.Range && right.Kind == OriginKind.Local) (left, right) = (right, left);
        if (left.Kind == OriginKind.Local && right.Kind == OriginKind.Range)
        {
            left.Kind = OriginKind.Indexed;
            left.Const = right.Const;
            SetTopOrigin(left);
        }
    }

    /// <summary>
    /// Whether masked and shifted values are tracked as ranges, so that versioned loops cover table look-ups from a
    /// loop-invariant base (WEFT_INDEXED_RANGES=0 turns it off; docs/RATIONALE.md "Table look-ups in versioned loops").
    /// </summary>
    internal static bool IndexedOrigins = Environment.GetEnvironmentVariable("WEFT_INDEXED_RANGES") != "0";

    /// <summary>i32.and, i32.shl, i32.shr_u: the result's range when the operands bound it (all unsigned).</summary>
    private void EmitRangedI32(Opcode op)
    {
        var left = OriginAt(1);
        var right = OriginAt(0);
        TryEmitNumeric(op);
        if (!IndexedOrigins) return;
        ulong? max = null;
        switch (op)
        {
            case Opcode.I32And:
                // x & c <= c (unsigned), whatever x is.
                if (right.Kind is OriginKind.Const or OriginKind.Range) max = (uint)right.Const;
                if (left.Kind is OriginKind.Const or OriginKind.Range) max = Math.Min(max ?? uint.MaxValue, (uint)left.Const);
                break;
            case Opcode.I32Shl:
                if (right.Kind == OriginKind.Const && left.Kind == OriginKind.Range)
                {
                    ulong shifted = left.Const << (int)(right.Const & 31);
                    if (shifted <= uint.MaxValue) max = shifted;
                }
                break;
            case Opcode.I32ShrU:
                if (right.Kind == OriginKind.Const)
                {
                    int by = (int)(right.Const & 31);
                    ulong top = left.Kind is OriginKind.Range or OriginKind.Const ? (uint)left.Const : uint.MaxValue;
                    max = top >> by;
                }
                break;
        }
        if (max is ulong m && m < uint.MaxValue) SetTopOrigin(new Origin { Kind = OriginKind.Range, Const = m });
    }

    /// <summary>A zero-extending narrow load's value is in [0, 255] or [0, 65535].</summary>
    private void NoteLoadedRange(OpCode load, StackKind result)
    {
        if (!IndexedOrigins || result != StackKind.I32) return;
        if (load == OpCodes.Ldind_U1) SetTopOrigin(new Origin { Kind = OriginKind.Range, Const = byte.MaxValue });
        else if (load == OpCodes.Ldind_U2) SetTopOrigin(new Origin { Kind = OriginKind.Range, Const = ushort.MaxValue });
    }

    /// <summary>
    /// Called after each instruction: keeps the scopes in step with the control frames and forgets the origins of
    /// stack slots when an instruction may have rearranged the stack (anything but straight-line code).
    /// </summary>
    private void AfterInstruction(Opcode opcode)
    {
        if (!IsStraightLine(opcode)) _originGen++;
        int depth = Math.Max(_frames.Count, 1);
        while (_checkScopes.Count < depth) _checkScopes.Add(_checkScopes[^1].Copy());
        while (_checkScopes.Count > depth) _checkScopes.RemoveAt(_checkScopes.Count - 1);
        if (opcode is Opcode.Else or Opcode.Catch or Opcode.CatchAll && _checkScopes.Count >= 2)
        {
            _checkScopes[^1] = _checkScopes[^2].Copy();
        }
        // Loop heads and merge points: a local may hold a value from another path or iteration.
        if (!IsStraightLine(opcode) && opcode != Opcode.BrIf) _epoch = ++_stampCounter;
    }

    /// <summary>Instructions that only push and pop operands through Push/Pop, without branching.</summary>
    private static bool IsStraightLine(Opcode op) =>
        op is Opcode.Nop or Opcode.Drop or Opcode.Select or Opcode.LocalGet or Opcode.LocalSet or Opcode.LocalTee
            or Opcode.GlobalGet or Opcode.GlobalSet or Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const
        || IsPureNumeric(op) || IsPlainLoad(op) || (op >= Opcode.I32Store && op <= Opcode.I64Store32);

    private static bool IsPlainLoad(Opcode op) => op >= Opcode.I32Load && op <= Opcode.I64Load32U;

    /// <summary>Numeric instructions that cannot trap (everything in 0x45..0xC4 but division, remainder, truncation).</summary>
    private static bool IsPureNumeric(Opcode op)
    {
        int v = (int)op;
        if (v < 0x45 || v > 0xC4) return false;
        if (v is >= 0x6D and <= 0x70 or >= 0x7F and <= 0x82) return false; // div, rem
        if (v is >= 0xA8 and <= 0xAB or >= 0xAE and <= 0xB1) return false; // trunc
        return true;
    }

    private static int PlainAccessSize(Opcode op) => op switch
    {
        Opcode.I32Load or Opcode.F32Load or Opcode.I64Load32S or Opcode.I64Load32U => 4,
        Opcode.I64Load or Opcode.F64Load => 8,
        Opcode.I32Load8S or Opcode.I32Load8U or Opcode.I64Load8S or Opcode.I64Load8U => 1,
        _ => 2,
    };

    /// <summary>
    /// Decides and emits what an access needs before its address is consumed (the address operand at
    /// <paramref name="depth"/>): returns false when it needs no check of its own (proven, or covered by the group
    /// check emitted here), else true with the offset to check in place of the access's own (never below it).
    /// </summary>
    private bool PlanCheck(in Instruction ins, int size, int depth, bool isLoad, out ulong checkOffset)
    {
        checkOffset = ins.Value;
        if (!EliminateBoundsChecks) return true;
        if (_covered.Remove(ins.Position)) return false;
        uint memory = ins.Index;
        var origin = OriginAt(depth);
        ulong offset = ins.Value;
        if (origin.Kind == OriginKind.None || offset > ulong.MaxValue - (ulong)size) return true;
        var cache = _memories[memory]!;
        if (CoveredByLoopVersion(ins, size, origin, cache)) return false;
        if (origin.Kind is not (OriginKind.Local or OriginKind.Const) || origin.BeforeIncrement) return true;
        if (origin.Kind == OriginKind.Const)
        {
            if (origin.Addend != 0) return true;
            // Const + offset + size without UInt128 (offset + size cannot wrap, checked above): a UInt128 in the
            // method keeps crossgen2 from precompiling it (RATIONALE "Start-up: ..., fourth look").
            ulong rest = offset + (ulong)size;
            if (origin.Const > ulong.MaxValue - rest) return true;
            ulong e = origin.Const + rest;
            var scope = _checkScopes[^1];
            if (e <= scope.ConstCovered[memory]) return false;
            var limits = _module.MemoryTypes[memory].Limits;
            int log2 = _module.MemoryTypes[memory].PageSizeLog2;
            ulong minimum = limits.Min <= ulong.MaxValue >> log2 ? limits.Min << log2 : 0;
            ulong target = Math.Max(e, minimum);
            checkOffset = target - (ulong)size - origin.Const;
            scope.ConstCovered[memory] = target;
            return true;
        }
        // A group needs the local to hold the value still (the check reads it) and 32-bit addresses (the additions
        // wrap at 2^32, which the slow path reproduces).
        if (!isLoad || cache.Is64 || VersionOf(origin.Local) != origin.Version) return true;
        var members = Lookahead(memory, origin.Local, new GroupMember(ins.Position, origin.Addend, offset, size));
        if (members.Count < 2) return true;
        EmitGroupCheck(cache, origin.Local, members);
        for (int i = 1; i < members.Count; i++) _covered.Add(members[i].Position);
        return false;
    }

    /// <summary>
    /// The group of a load: it and the loads from the same local (plus a constant) that follow it on the straight line
    /// with nothing in between that has a side effect, may trap otherwise, or writes the local.
    /// </summary>
    private List<GroupMember> Lookahead(uint memory, uint local, GroupMember first)
    {
        var members = new List<GroupMember> { first };
        var reader = new InstructionReader(Code[_nextPosition..]);
        // The last three instructions: local.get X (then i32.const c; i32.add) right before a load names its address.
        Instruction back1 = default, back2 = default, back3 = default;
        for (int n = 0; n < LookaheadLimit && !reader.AtEnd; n++)
        {
            var ins = reader.Read();
            var op = ins.Opcode;
            if (IsPlainLoad(op))
            {
                int size = PlainAccessSize(op);
                if (ins.Index == memory && ins.Value <= uint.MaxValue)
                {
                    if (back1.Opcode == Opcode.LocalGet && back1.Index == local)
                    {
                        members.Add(new GroupMember(_nextPosition + ins.Position, 0, ins.Value, size));
                    }
                    else if (back1.Opcode == Opcode.I32Add && back2.Opcode == Opcode.I32Const
                        && back3.Opcode == Opcode.LocalGet && back3.Index == local)
                    {
                        members.Add(new GroupMember(_nextPosition + ins.Position, (uint)back2.I32, ins.Value, size));
                    }
                }
            }
            else if (op is Opcode.LocalSet or Opcode.LocalTee)
            {
                if (ins.Index == local) break;
            }
            else if (!(IsPureNumeric(op) || op is Opcode.LocalGet or Opcode.Nop or Opcode.Drop or Opcode.Select
                or Opcode.GlobalGet or Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const))
            {
                break;
            }
            back3 = back2;
            back2 = back1;
            back1 = ins;
        }
        return members;
    }

    /// <summary>
    /// One compare for the whole group (the local's value plus the largest end within the length: then no addition
    /// wrapped and every member is in range); when it fails, each member checked exactly, in order.
    /// </summary>
    private void EmitGroupCheck(MemoryCache cache, uint local, List<GroupMember> members)
    {
        ulong maxEnd = members.Max(m => m.End);
        int size = members[0].Size;
        var ok = _il.DefineLabel();
        EmitLoadLocalValue(local);
        _il.Emit(OpCodes.Conv_U8);
        _il.Emit(OpCodes.Ldc_I8, (long)(maxEnd - (ulong)size));
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldloc, cache.Length);
        _il.Emit(OpCodes.Ldc_I8, (long)size);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Ble, ok);
        foreach (var member in members)
        {
            var inRange = _il.DefineLabel();
            EmitLoadLocalValue(local);
            if (member.Addend != 0)
            {
                _il.Emit(OpCodes.Ldc_I4, (int)member.Addend);
                _il.Emit(OpCodes.Add);
            }
            _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Ldc_I8, (long)(member.Offset + (ulong)member.Size));
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Ldloc, cache.Length);
            _il.Emit(OpCodes.Ble_Un, inRange);
            EmitTrap(TrapKind.OutOfBoundsMemoryAccess);
            _il.MarkLabel(inRange);
        }
        _il.MarkLabel(ok);
    }

    private void EmitLoadLocalValue(uint index)
    {
        if (index < _paramCount) _il.Emit(OpCodes.Ldarg, (int)index);
        else _il.Emit(OpCodes.Ldloc, _locals[index]!);
    }
}
