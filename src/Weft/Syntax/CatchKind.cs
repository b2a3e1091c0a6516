namespace Weft.Syntax;

/// <summary>The kind of a try_table catch clause (binary codes 0..3).</summary>
internal enum CatchKind : byte
{
    /// <summary><c>catch x l</c>: catch tag x, push its payload.</summary>
    Catch = 0,
    /// <summary><c>catch_ref x l</c>: catch tag x, push its payload and the exnref.</summary>
    CatchRef = 1,
    /// <summary><c>catch_all l</c>: catch anything, push nothing.</summary>
    CatchAll = 2,
    /// <summary><c>catch_all_ref l</c>: catch anything, push the exnref.</summary>
    CatchAllRef = 3,
}

/// <summary>A try_table catch clause.</summary>
/// <param name="Kind">The kind of clause.</param>
/// <param name="Tag">The tag index (Catch and CatchRef only).</param>
/// <param name="Label">The label to branch to.</param>
internal readonly record struct CatchClause(CatchKind Kind, uint Tag, uint Label);
