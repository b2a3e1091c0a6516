using Weft.Fuzz;

namespace Weft.Tests.Fuzz;

/// <summary>
/// One binaryen server for the fuzz tests. Without the oracle the tests skip, except under CI=true, where they fail:
/// CI installs it first (tools/install-oracle.sh), so a missing oracle there is a broken setup, not a reason to skip.
/// </summary>
public sealed class OracleFixture : IDisposable
{
    public OracleFixture()
    {
        Oracle = Binaryen.TryStart(out string reason);
        Reason = reason;
    }

    public Binaryen? Oracle { get; }

    public string Reason { get; }

    /// <summary>The oracle, or a skip (a failure under CI=true) saying how to install it.</summary>
    public Binaryen Require()
    {
        if (Oracle is not null) return Oracle;
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (ci) Assert.Fail("CI=true and the fuzzing oracle is missing: " + Reason);
        Skip.If(true, Reason);
        throw new InvalidOperationException("unreachable");
    }

    public void Dispose() => Oracle?.Dispose();
}
