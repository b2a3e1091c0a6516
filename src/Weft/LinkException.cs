namespace Weft;

/// <summary>Instantiation could not resolve or match an import (the spec's "unlinkable").</summary>
public sealed class LinkException : WeftException
{
    /// <summary>Creates a link error.</summary>
    /// <param name="reason">The spec's message: "unknown import" or "incompatible import type".</param>
    /// <param name="detail">Which import, e.g. <c>"env" "f"</c>.</param>
    public LinkException(string reason, string? detail = null)
        : base(reason, detail is null ? reason : $"{reason}: {detail}")
    {
    }
}
