// A C# application hosting a wasm plugin with Weft: it loads the plugin, gives it host functions, calls it under a
// deadline, and survives a plugin that traps or loops forever. Run it from the repository root:
//     dotnet run --project examples/PluginHost [path/to/plugin.wat]
using Weft;

string path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "plugins", "text-tools.wat");
var module = WasmModule.FromFile(path);
Console.WriteLine($"loaded {Path.GetFileName(path)}: exports {string.Join(", ", module.Exports.Select(e => e.Name))}");

// Host functions the plugin imports. A Caller first parameter gives access to the calling plugin's memory.
var linker = new Linker();
linker.Define("host", "log", (Caller caller, int ptr, int len) =>
    Console.WriteLine($"  [plugin] {caller.Memory!.ReadString((uint)ptr, len)}"));
linker.Define("host", "now_ms", () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

// Interruptible: compiled code checks for a deadline at function entries and loop back-edges. The store limits cap
// what the plugin may allocate.
using var store = new Store(new StoreLimits { MaxMemoryBytes = 16 << 20, MaxInstances = 10 }) { Interruptible = true };
var plugin = new Plugin(linker.Instantiate(store, module));

plugin.Call("init", p => p.Init());
plugin.Call("count_vowels", p => Console.WriteLine($"  vowels in \"WebAssembly on .NET\": {p.CountVowels("WebAssembly on .NET")}"));
plugin.Call("shout", p => p.Shout("plugins run sandboxed"));
plugin.Call("hang", p => p.Hang());
plugin.Call("crash", p => p.Crash());

// A failed call leaves the host untouched; a plugin in doubt is replaced by a fresh instance.
plugin = new Plugin(linker.Instantiate(store, module));
plugin.Call("count_vowels", p => Console.WriteLine($"  a fresh instance still works: {p.CountVowels("after the failures")} vowels"));
Console.WriteLine("host finished normally");

/// <summary>Typed access to the plugin's exports, and calls under a deadline.</summary>
sealed class Plugin(Instance instance)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(200);

    private readonly Memory _memory = instance.GetMemory("memory")!;
    private readonly Func<int, int> _alloc = instance.GetFunction<int, int>("alloc")!;
    private readonly Func<int, int, int> _countVowels = instance.GetFunction<int, int, int>("count_vowels")!;
    private readonly Action<int, int> _shout = instance.GetAction<int, int>("shout")!;

    public void Init() => instance.GetAction("init")!();

    public int CountVowels(string text)
    {
        var (ptr, len) = Pass(text);
        return _countVowels(ptr, len);
    }

    public void Shout(string text)
    {
        var (ptr, len) = Pass(text);
        _shout(ptr, len);
    }

    public void Hang() => instance.GetAction("hang")!();

    public int Crash() => instance.GetFunction<int>("crash")!();

    /// <summary>Runs one call with a deadline; a trap (including the deadline) is reported, not thrown.</summary>
    public void Call(string name, Action<Plugin> call)
    {
        Console.WriteLine($"{name}:");
        instance.Store.SetDeadline(Deadline);
        try
        {
            call(this);
        }
        catch (TrapException trap) when (trap.Kind == TrapKind.Interrupted)
        {
            Console.WriteLine($"  stopped: still running after {Deadline.TotalMilliseconds} ms");
        }
        catch (TrapException trap)
        {
            Console.WriteLine($"  the plugin trapped: {trap.Message}");
        }
        finally
        {
            instance.Store.ClearDeadline();
        }
    }

    /// <summary>Copies a string into plugin memory (UTF-8) and returns where.</summary>
    private (int Pointer, int Length) Pass(string text)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(text);
        int ptr = _alloc(length);
        _memory.WriteString((uint)ptr, text);
        return (ptr, length);
    }
}
