using Weft.Fuzz;

namespace Weft.Tests.Fuzz;

public sealed class TraceComparerTests
{
    private const string Export = "[fuzz-exec] export f\n";

    [Fact]
    public void Identical_traces_agree()
    {
        Assert.Null(TraceComparer.Compare(Export + "[LoggingExternalInterface logging 5]\n", Export + "[LoggingExternalInterface logging 5]\n"));
    }

    [Fact]
    public void A_different_integer_is_a_divergence()
    {
        string? d = TraceComparer.Compare(Export + "[fuzz-exec] note result: f => 36028797018963968\n",
            Export + "[fuzz-exec] note result: f => 36028797018963970\n");
        Assert.NotNull(d);
        Assert.Contains("line 2", d);
    }

    [Fact]
    public void Floats_compare_as_numbers_and_nans_as_nans()
    {
        // binaryen prints 2^55 without an exponent and f32 max in its own shortest form; Weft prints E16.
        Assert.Null(TraceComparer.Compare(Export + "[fuzz-exec] note result: f => 36028797018963968\n",
            Export + "[fuzz-exec] note result: f => 3.6028797018963968E+016\n"));
        Assert.Null(TraceComparer.Compare(Export + "[LoggingExternalInterface logging 3402823466385288598117041e14]\n",
            Export + "[LoggingExternalInterface logging 3.4028234663852886E+038]\n"));
        Assert.Null(TraceComparer.Compare(Export + "[LoggingExternalInterface logging -nan:0x7ffff3]\n",
            Export + "[LoggingExternalInterface logging nan:0x400000]\n"));
        Assert.NotNull(TraceComparer.Compare(Export + "[LoggingExternalInterface logging -0]\n",
            Export + "[LoggingExternalInterface logging 0]\n"));
        Assert.NotNull(TraceComparer.Compare(Export + "[LoggingExternalInterface logging 1.5]\n",
            Export + "[LoggingExternalInterface logging 1.5000000000000002E+000]\n"));
    }

    [Fact]
    public void Vector_lanes_that_are_nans_in_both_agree_and_others_must_be_equal()
    {
        Assert.Null(TraceComparer.Compare(Export + "[LoggingExternalInterface logging i32x4 0x7fc00000 0x00000001 0x00000000 0x7ff80000]\n",
            Export + "[LoggingExternalInterface logging i32x4 0xffc00000 0x00000001 0x00000000 0xfff80000]\n"));
        Assert.NotNull(TraceComparer.Compare(Export + "[LoggingExternalInterface logging i32x4 0x7fc00000 0x00000001 0x00000000 0x00000000]\n",
            Export + "[LoggingExternalInterface logging i32x4 0x7fc00000 0x00000002 0x00000000 0x00000000]\n"));
    }

    [Fact]
    public void Traps_match_traps_but_not_results_and_the_comparison_stops_at_a_host_limit()
    {
        Assert.Null(TraceComparer.Compare(Export + "[trap unreachable]\n", Export + "[trap unreachable executed]\n"));
        Assert.NotNull(TraceComparer.Compare(Export + "[trap unreachable]\n", Export + "[fuzz-exec] note result: f => 1\n"));
        Assert.Null(TraceComparer.Compare(Export + "[host limit stack limit]\n[fuzz-exec] export g\n",
            Export + "[host limit weft call stack]\n"));
        Assert.NotNull(TraceComparer.Compare(Export + "[fuzz-exec] export g\n", Export));   // Weft stopped early
    }

    [Fact]
    public void Exceptions_compare_by_payload_not_by_binaryens_tag_names()
    {
        Assert.Null(TraceComparer.Compare(Export + "[exception thrown: tag$3 7]\n", Export + "[exception thrown: tag 7]\n"));
        Assert.NotNull(TraceComparer.Compare(Export + "[exception thrown: tag$3 7]\n", Export + "[exception thrown: tag 8]\n"));
    }

    [Fact]
    public void A_binaryen_run_that_stops_silently_after_announcing_an_export_is_not_a_divergence()
    {
        const string Oracle = Export + "[fuzz-exec] export g\n";
        Assert.True(TraceComparer.OracleStoppedSilently(Oracle, Oracle + "[LoggingExternalInterface logging 0 0]\n[trap out of bounds]\n"));
        Assert.Null(TraceComparer.Compare(Oracle, Oracle + "[LoggingExternalInterface logging 0 0]\n"));
        // Only at the end, and only when everything before agrees.
        Assert.NotNull(TraceComparer.Compare(Export + "[LoggingExternalInterface logging 1]\n[fuzz-exec] export g\n",
            Export + "[LoggingExternalInterface logging 2]\n[fuzz-exec] export g\n[LoggingExternalInterface logging 0]\n"));
    }
}
