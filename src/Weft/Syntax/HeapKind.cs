namespace Weft.Syntax;

/// <summary>The kind of a heap type: a concrete type index or one of the abstract heap types.</summary>
public enum HeapKind : byte
{
    /// <summary>A concrete heap type given by a type index.</summary>
    Concrete = 0,
    /// <summary><c>func</c>: every function reference.</summary>
    Func,
    /// <summary><c>nofunc</c>: the bottom of the function hierarchy.</summary>
    NoFunc,
    /// <summary><c>extern</c>: every external (host) reference.</summary>
    Extern,
    /// <summary><c>noextern</c>: the bottom of the external hierarchy.</summary>
    NoExtern,
    /// <summary><c>any</c>: the top of the internal (GC) hierarchy.</summary>
    Any,
    /// <summary><c>eq</c>: references comparable with ref.eq.</summary>
    Eq,
    /// <summary><c>i31</c>: unboxed 31-bit scalars.</summary>
    I31,
    /// <summary><c>struct</c>: every structure.</summary>
    Struct,
    /// <summary><c>array</c>: every array.</summary>
    Array,
    /// <summary><c>none</c>: the bottom of the internal hierarchy.</summary>
    None,
    /// <summary><c>exn</c>: every exception reference.</summary>
    Exn,
    /// <summary><c>noexn</c>: the bottom of the exception hierarchy.</summary>
    NoExn,
    /// <summary>The validator's bottom type, a subtype of every heap type; never appears in a module.</summary>
    Bottom,
}
