using Weft.Validation;

namespace Weft.Runtime;

/// <summary>
/// The runtime state of one module instance as compiled code sees it. Each compiled module derives a class from
/// this one that adds a typed field per global the module keeps to itself; compiled functions receive the instance
/// as their last argument and read these fields directly.
/// </summary>
internal abstract class InstanceContext
{
    /// <summary>The store.</summary>
    public Store Store = null!;

    /// <summary>The lowest stack address wasm may reach on the running thread, kept here by the store so that the
    /// check at every function entry is one load.</summary>
    public nuint StackLimit;

    /// <summary>Memory 0, if any (the common case gets its own field).</summary>
    public Memory? Memory0;

    /// <summary>All memories, imported first.</summary>
    public Memory[] Memories = [];

    /// <summary>All tables, imported first.</summary>
    public Table[] Tables = [];

    /// <summary>Globals that are imported or exported (shared cells); null where the global is a field.</summary>
    public Global?[] Globals = [];

    /// <summary>
    /// The values of the immutable reference globals a module with many of them keeps in one array rather than a
    /// field each (ModuleCompiler.ConstantFieldLimit), by slot; empty otherwise.
    /// </summary>
    public object?[] Constants = [];

    /// <summary>All functions, imported first (ref.func returns these objects; imports are called through them).</summary>
    public Function[] Functions = [];

    /// <summary>All tags, imported first.</summary>
    public Tag[] Tags = [];

    /// <summary>The canonical type of every type index of the module.</summary>
    public DefinedType[] Types = [];

    /// <summary>Element segments' values; a dropped segment is empty.</summary>
    public object?[][] ElementSegments = [];

    /// <summary>Data segments' bytes; a dropped segment is empty.</summary>
    public byte[][] DataSegments = [];

    /// <summary>
    /// A wasm exception on its way out of a function compiled to the pending-exception protocol (see
    /// Compilation/PendingExceptions): set by the raising body as it returns, read and cleared by its caller right
    /// after the call. A context runs on one thread at a time, and nothing runs between the set and the test.
    /// </summary>
    public WasmException? PendingException;
}
