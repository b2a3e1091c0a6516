namespace Weft.Tests.Robustness;

/// <summary>
/// Valid modules that stress one dimension of the compiler (nesting depth, result count, operand stack height,
/// function count), encoded directly as bytes so that building one costs nothing next to compiling it.
/// </summary>
internal static class ScalingModules
{
    /// <summary>The block kinds a nesting module can use.</summary>
    public enum Nesting
    {
        Block,
        Loop,
        If,
        TryTable,
        TryCatch,
        TryDelegate,
    }

    /// <summary>
    /// One exported function "run" of type [] -> [i32] returning 7: <paramref name="depth"/> nested blocks of one
    /// kind with a call to an empty function and an i32.const 7 at the bottom (the value flows out through every
    /// block's result, so each block has type [] -> [i32]; try_tables are [] -> [] and the 7 follows them). The call
    /// makes every try region need its handler.
    /// </summary>
    public static byte[] Nested(Nesting kind, int depth)
    {
        var body = new List<byte>();
        for (int i = 0; i < depth; i++)
        {
            switch (kind)
            {
                case Nesting.Block: body.AddRange([0x02, 0x7F]); break;
                case Nesting.Loop: body.AddRange([0x03, 0x7F]); break;
                case Nesting.If: body.AddRange([0x41, 0x01, 0x04, 0x7F]); break;
                case Nesting.TryTable: body.AddRange([0x1F, 0x40, 0x01, 0x02, 0x00]); break; // [] -> [], catch_all 0
                case Nesting.TryCatch or Nesting.TryDelegate: body.AddRange([0x06, 0x7F]); break;
            }
        }
        body.AddRange([0x10, 0x00]); // call 0
        if (kind != Nesting.TryTable) body.AddRange([0x41, 0x07]); // i32.const 7
        for (int i = 0; i < depth; i++)
        {
            switch (kind)
            {
                case Nesting.If: body.AddRange([0x05, 0x41, 0x00, 0x0B]); break; // else i32.const 0 end
                case Nesting.TryTable: body.AddRange([0x0B]); break;
                case Nesting.TryCatch: body.AddRange([0x19, 0x41, 0x00, 0x0B]); break; // catch_all i32.const 0 end
                case Nesting.TryDelegate: body.AddRange([0x18, 0x00]); break; // delegate 0
                default: body.Add(0x0B); break;
            }
        }
        // catch_all 0 carries nothing, so try_tables are [] -> [] and target the one around them (the outermost one
        // a block); the 7 comes after them all.
        if (kind == Nesting.TryTable)
        {
            body.InsertRange(0, [0x02, 0x40]);
            body.AddRange([0x0B, 0x41, 0x07]);
        }
        body.Add(0x0B);
        return Module(
            types: [FuncType([], []), FuncType([], [0x7F])],
            functions: [0, 1],
            bodies: [[0x0B], [.. body]],
            exports: [("run", 1)]);
    }

    /// <summary>
    /// "run" of type [] -> [i32] returning 7: <paramref name="count"/> try_tables one after the other in a block,
    /// each around a call to an empty function (so <paramref name="count"/> protected calls in one function).
    /// </summary>
    public static byte[] SequentialTryTables(int count)
    {
        var body = new List<byte> { 0x02, 0x40 };
        for (int i = 0; i < count; i++) body.AddRange([0x1F, 0x40, 0x01, 0x02, 0x00, 0x10, 0x00, 0x0B]);
        body.AddRange([0x0B, 0x41, 0x07, 0x0B]);
        return Module(
            types: [FuncType([], []), FuncType([], [0x7F])],
            functions: [0, 1],
            bodies: [[0x0B], [.. body]],
            exports: [("run", 1)]);
    }

    /// <summary>
    /// "run" of type [] -> [i32] calls "many" of type [] -> [i32 x count] (count i32.consts 1..count) and folds the
    /// results with i32.add, so it returns count*(count+1)/2. Covers returning, receiving and dropping many results.
    /// </summary>
    public static byte[] ManyResults(int count)
    {
        var many = new List<byte>();
        for (int i = 1; i <= count; i++) Const(many, i);
        many.Add(0x0B);
        var run = new List<byte> { 0x10, 0x00 };
        for (int i = 1; i < count; i++) run.Add(0x6A);
        run.Add(0x0B);
        return Module(
            types: [FuncType([], Enumerable.Repeat((byte)0x7F, count).ToArray()), FuncType([], [0x7F])],
            functions: [0, 1],
            bodies: [[.. many], [.. run]],
            exports: [("many", 0), ("run", 1)]);
    }

    /// <summary>"sum" of type [i32 x count] -> [i32] adds its parameters; "run" calls it with 1..count.</summary>
    public static byte[] ManyParams(int count)
    {
        var sum = new List<byte>();
        for (int i = 0; i < count; i++)
        {
            sum.Add(0x20);
            Leb(sum, (uint)i);
            if (i > 0) sum.Add(0x6A);
        }
        sum.Add(0x0B);
        var run = new List<byte>();
        for (int i = 1; i <= count; i++) Const(run, i);
        run.AddRange([0x10, 0x00, 0x0B]);
        return Module(
            types: [FuncType(Enumerable.Repeat((byte)0x7F, count).ToArray(), [0x7F]), FuncType([], [0x7F])],
            functions: [0, 1],
            bodies: [[.. sum], [.. run]],
            exports: [("run", 1)]);
    }

    /// <summary>"run" of type [] -> [i32] declares count i32 locals, sets each to its index+1 and adds them all.</summary>
    public static byte[] ManyLocals(int count)
    {
        var run = new List<byte>();
        for (int i = 0; i < count; i++)
        {
            Const(run, i + 1);
            run.Add(0x21);
            Leb(run, (uint)i);
        }
        for (int i = 0; i < count; i++)
        {
            run.Add(0x20);
            Leb(run, (uint)i);
            if (i > 0) run.Add(0x6A);
        }
        run.Add(0x0B);
        var locals = new List<byte> { 0x01 };
        Leb(locals, (uint)count);
        locals.Add(0x7F);
        return Module(
            types: [FuncType([], [0x7F])],
            functions: [0],
            bodies: [[.. run]],
            exports: [("run", 0)],
            locals: [[.. locals]]);
    }

    /// <summary>"run" of type [] -> [i32] pushes count i32.const 1 and adds them up: count values on the operand stack at once.</summary>
    public static byte[] DeepStack(int count)
    {
        var run = new List<byte>();
        for (int i = 0; i < count; i++) run.AddRange([0x41, 0x01]);
        for (int i = 1; i < count; i++) run.Add(0x6A);
        run.Add(0x0B);
        return Module(types: [FuncType([], [0x7F])], functions: [0], bodies: [[.. run]], exports: [("run", 0)]);
    }

    /// <summary>
    /// count functions of type [i32] -> [i32]. Function i returns x + i, except in the 128 functions from
    /// <paramref name="chainStart"/> on: each of those returns f(i+1)(x) + 1, so "chain" (function chainStart)
    /// returns x + chainStart + 256. Exports "first", "last" and "chain".
    /// </summary>
    public static byte[] ManyFunctions(int count, int chainStart)
    {
        var bodies = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            var body = new List<byte> { 0x20, 0x00 };
            if (i >= chainStart && i < chainStart + 128 && i < count - 1)
            {
                body.Add(0x10);
                Leb(body, (uint)(i + 1));
                body.AddRange([0x41, 0x01, 0x6A]);
            }
            else
            {
                Const(body, i);
                body.Add(0x6A);
            }
            body.Add(0x0B);
            bodies[i] = [.. body];
        }
        return Module(
            types: [FuncType([0x7F], [0x7F])],
            functions: new uint[count],
            bodies: bodies,
            exports: [("first", 0), ("chain", (uint)chainStart), ("last", (uint)(count - 1))]);
    }

    private static byte[] FuncType(byte[] parameters, byte[] results)
    {
        var t = new List<byte> { 0x60 };
        Leb(t, (uint)parameters.Length);
        t.AddRange(parameters);
        Leb(t, (uint)results.Length);
        t.AddRange(results);
        return [.. t];
    }

    private static byte[] Module(byte[][] types, uint[] functions, byte[][] bodies, (string Name, uint Index)[] exports, byte[][]? locals = null)
    {
        var m = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        Section(m, 1, s =>
        {
            Leb(s, (uint)types.Length);
            foreach (var t in types) s.AddRange(t);
        });
        Section(m, 3, s =>
        {
            Leb(s, (uint)functions.Length);
            foreach (uint f in functions) Leb(s, f);
        });
        Section(m, 7, s =>
        {
            Leb(s, (uint)exports.Length);
            foreach (var (name, index) in exports)
            {
                Leb(s, (uint)name.Length);
                s.AddRange(System.Text.Encoding.ASCII.GetBytes(name));
                s.Add(0x00);
                Leb(s, index);
            }
        });
        Section(m, 10, s =>
        {
            Leb(s, (uint)bodies.Length);
            for (int i = 0; i < bodies.Length; i++)
            {
                byte[] declarations = locals?[i] ?? [0x00];
                Leb(s, (uint)(declarations.Length + bodies[i].Length));
                s.AddRange(declarations);
                s.AddRange(bodies[i]);
            }
        });
        return [.. m];
    }

    private static void Section(List<byte> module, byte id, Action<List<byte>> content)
    {
        var s = new List<byte>();
        content(s);
        module.Add(id);
        Leb(module, (uint)s.Count);
        module.AddRange(s);
    }

    private static void Const(List<byte> code, int value)
    {
        code.Add(0x41);
        // signed LEB128
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if ((value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0))
            {
                code.Add(b);
                return;
            }
            code.Add((byte)(b | 0x80));
        }
    }

    private static void Leb(List<byte> bytes, uint value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            bytes.Add(b);
        }
        while (value != 0);
    }
}
