namespace Weft.Benchmarks.Harness;

/// <summary>Every measurement of one program (milliseconds; peak resident sets in KiB).</summary>
internal sealed class ProgramResult(BenchProgram program)
{
    public BenchProgram Program { get; } = program;

    /// <summary>Whether the native build printed exactly the committed expected output (bench/programs/expected).</summary>
    public bool NativeMatchesExpected { get; set; } = true;

    public Samples NativeWall { get; } = new();
    public Samples NativeRss { get; } = new();
    public Samples WeftProcessWall { get; } = new();
    public Samples WeftProcessRss { get; } = new();
    public Samples WasmtimeProcessWall { get; } = new();
    public Samples WasmtimeProcessRss { get; } = new();

    /// <summary>Whole process through the ReadyToRun-published host (--published-host), when the harness has one.</summary>
    public Samples WeftPublishedWall { get; } = new();
    public Samples WasmtimePublishedWall { get; } = new();

    public Samples WeftColdSetup { get; } = new();
    public Samples WeftColdRun { get; } = new();
    public Samples WeftColdTotal { get; } = new();
    public Samples WasmtimeColdSetup { get; } = new();
    public Samples WasmtimeColdRun { get; } = new();
    public Samples WasmtimeColdTotal { get; } = new();

    public Samples WeftWarmSetup { get; } = new();
    public Samples WeftWarmRun { get; } = new();
    public Samples WasmtimeWarmSetup { get; } = new();
    public Samples WasmtimeWarmRun { get; } = new();

    public void Record(bool weft, bool warm, RunTimes times)
    {
        if (warm)
        {
            (weft ? WeftWarmSetup : WasmtimeWarmSetup).Add(times.SetupMs);
            (weft ? WeftWarmRun : WasmtimeWarmRun).Add(times.RunMs);
        }
        else
        {
            (weft ? WeftColdSetup : WasmtimeColdSetup).Add(times.SetupMs);
            (weft ? WeftColdRun : WasmtimeColdRun).Add(times.RunMs);
            (weft ? WeftColdTotal : WasmtimeColdTotal).Add(times.TotalMs);
        }
    }
}
