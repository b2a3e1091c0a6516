namespace Weft.Tests.Conformance;

/// <summary>
/// Spec scripts that need a feature Weft does not execute yet, each with the open issue that brings it. A pending
/// script still runs: its test is reported as skipped (with the reason and the script's counts) while it has
/// failures, and fails once it passes completely, so that the entry is removed as soon as the feature lands.
/// </summary>
internal static class PendingScripts
{
    private static readonly (string Prefix, string Reason)[] s_pending =
    [
        ("custom/", "custom annotation checks (assert_*_custom)"),
    ];

    // Scripts inside a pending folder that need nothing pending.
    private static readonly HashSet<string> s_passing =
    [
    ];

    /// <summary>Why a script is pending, or null if it must pass.</summary>
    public static string? ReasonFor(string script) => s_passing.Contains(script)
        ? null
        : s_pending.FirstOrDefault(p => script.StartsWith(p.Prefix, StringComparison.Ordinal)).Reason;
}
