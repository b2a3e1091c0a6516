namespace Weft;

/// <summary>Settings of an <see cref="Engine"/>: what its generated code checks, and how long the code lives.</summary>
public sealed record EngineOptions
{
    /// <summary>
    /// Whether stores of the engine count fuel by default (their <see cref="Store.ConsumeFuel"/> starts true; a store
    /// may still turn it off). Fuel checks are compiled into the code stores with fuel run.
    /// </summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>
    /// Whether stores of the engine can be interrupted by default (their <see cref="Store.Interruptible"/> starts
    /// true). Interrupt checks are compiled into the code such stores run.
    /// </summary>
    public bool Interruptible { get; init; }

    /// <summary>
    /// Whether stores of the engine use tiered code by default (their <see cref="Store.TieredCompilation"/> starts
    /// true): quick start, never unloaded. Needs <see cref="Collectible"/> off (the <see cref="Engine"/> constructor
    /// refuses the combination), since .NET tiers only non-collectible code.
    /// </summary>
    public bool TieredCompilation { get; init; }

    /// <summary>
    /// Whether the engine's generated code (GC struct classes, host adapters, invoke stubs and compiled modules) lives
    /// in collectible assemblies that .NET unloads once the engine is disposed and nothing references them (default
    /// true). Off, the code is never unloaded, but stores may use <see cref="Store.TieredCompilation"/>: .NET tiers
    /// only non-collectible code, and non-collectible code cannot reference collectible classes.
    /// </summary>
    public bool Collectible { get; init; } = true;

    /// <summary>
    /// A directory for the engine's compile cache, or null (the default) for none. With one, a module's code is
    /// compiled ahead of time into an assembly stored there (keyed by the module's SHA-256, Weft's version and build
    /// and the code options) and later engines, in any process, load it instead of compiling. Concurrent writers are
    /// safe (each writes a temporary file and renames it into place); an entry that is corrupt or truncated fails its
    /// hash and is compiled again, never run. Modules with GC struct types and tiered code are compiled as usual.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Whether a wasm function's code is generated when it is first called (default false: opt-in until it has been
    /// through the differential fuzzer and the whole test suite as the default) rather than for the whole
    /// module when it is first instantiated. Lazy, a large module starts in a fraction of the time and functions that
    /// are never called cost nothing; an implementation limit of the compiler is then reported by the call that
    /// reaches the function (a <see cref="CompilationException"/>) instead of by the instantiation. Off, every function
    /// is compiled up front, as a host that wants all failures before running, or writes the code out, needs.
    /// </summary>
    public bool LazyCompilation { get; init; }

    /// <summary>
    /// Whether small wasm functions (at most 64 bytes of instructions) are marked for inlining into their callers
    /// (default false). Programs made of many tiny functions (closures, small methods called through tables) run
    /// faster: 0.54-0.67x the time on closure-heavy GC code, 0.61-0.93x on dynamic dispatch. The price is the
    /// backtraces: an inlined function has no frame of its own, so it is missing from <see cref="TrapException.Frames"/>
    /// and <see cref="WasmException"/> frames (the trap itself, its <see cref="TrapKind"/> and message, are the same).
    /// Off, only small functions that can never be in a backtrace are marked (no calls and nothing that traps), and
    /// RyuJIT may still inline a tiny function on its own, so a backtrace is never guaranteed to list every
    /// function. Applies to eagerly compiled and cached code; in <see cref="LazyCompilation"/> functions are called
    /// through stubs and not inlined.
    /// </summary>
    public bool InlineSmallFunctions { get; init; }
}
