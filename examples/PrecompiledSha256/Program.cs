using System.Runtime.CompilerServices;
using Weft;
using Weft.Wasi;

// Runs bench/programs' sha256 from the assembly `weft compile` wrote: no code is generated at run time, so the same
// program works under NativeAOT. It prints exactly what the program prints on the JIT path (and natively); the
// runtime's state goes to stderr.
Console.Error.WriteLine($"dynamic code supported: {RuntimeFeature.IsDynamicCodeSupported}");
int exit = 1;
// wasm code runs on a thread with a generous stack, as weft run does.
var thread = new Thread(() => exit = Run(args), 64 << 20);
thread.Start();
thread.Join();
return exit;

static int Run(string[] args)
{
    // Written out, the entry type's name is what the trimmer sees: it keeps the type and its public methods.
    var entry = Type.GetType("WeftPrecompiledEntry, sha256", throwOnError: true)!;
    var module = WasmModule.FromPrecompiled(Engine.Default, entry);
    using var stdout = Console.OpenStandardOutput();
    using var stderr = Console.OpenStandardError();
    var config = new WasiConfig { Args = ["sha256", .. args], Stdin = Console.OpenStandardInput(), Stdout = stdout, Stderr = stderr };
    var linker = new Linker(Engine.Default).AddWasi(config);
    using var store = new Store(Engine.Default);
    try
    {
        return linker.Instantiate(store, module).RunWasiCommand();
    }
    finally
    {
        stdout.Flush();
    }
}
