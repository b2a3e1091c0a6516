using Weft.Runtime;

namespace Weft;

/// <summary>
/// The instance that calls a host function, given to host delegates whose first parameter is a <see cref="Caller"/>:
/// through it the host reaches the caller's memory (exported or not) and exports, e.g. to read a string the wasm
/// code passed as a pointer and a length.
/// </summary>
/// <example>
/// <code>
/// linker.Define("env", "log", (Caller caller, int ptr, int len) =>
///     Console.WriteLine(caller.Memory!.ReadString((uint)ptr, len)));
/// </code>
/// </example>
/// <remarks>
/// The caller is the instance that imported the host function. When that instance passes the function to another
/// one (through a table or an export), calls from there still name the importing instance.
/// </remarks>
public sealed class Caller
{
    private readonly InstanceContext _context;
    private Instance? _instance;

    internal Caller(Store store, InstanceContext context)
    {
        Store = store;
        _context = context;
    }

    /// <summary>The store the calling instance lives in.</summary>
    public Store Store { get; }

    /// <summary>The host's data of the caller's store (<see cref="Weft.Store.GetData{T}"/>).</summary>
    /// <exception cref="InvalidOperationException">The data is not set, or is not a <typeparamref name="T"/>.</exception>
    public T GetData<T>() => Store.GetData<T>();

    /// <summary>The calling instance.</summary>
    public Instance Instance => _instance ?? throw new InvalidOperationException("the instance is still being created");

    /// <summary>The caller's memory 0 (whether or not it is exported), or null if it has no memory.</summary>
    public Memory? Memory => _context.Memory0;

    /// <summary>The caller's memory at an index (imports first), whether or not it is exported.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The instance has no memory at that index.</exception>
    public Memory GetMemory(int index)
    {
        var memories = _context.Memories;
        if ((uint)index >= (uint)memories.Length) throw new ArgumentOutOfRangeException(nameof(index), $"the instance has {memories.Length} memories");
        return memories[index];
    }

    /// <summary>An export of the calling instance by name, or null.</summary>
    public Extern? GetExport(string name) => Instance.GetExport(name);

    internal void SetInstance(Instance instance) => _instance = instance;
}
