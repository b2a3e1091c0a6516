namespace Weft.Script;

/// <summary>How one command of a .wast script fared.</summary>
public enum WastCommandStatus
{
    /// <summary>The command did what the script expected.</summary>
    Passed,
    /// <summary>The command did something else, or Weft failed while running it.</summary>
    Failed,
    /// <summary>The command was not checked; <see cref="WastCommandResult.Reason"/> says why (e.g. it needs execution).</summary>
    Skipped,
}
