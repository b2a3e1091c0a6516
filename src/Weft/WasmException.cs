using System.Collections.ObjectModel;
using System.Text;

namespace Weft;

/// <summary>
/// A wasm exception: a <see cref="Weft.Tag"/> and a payload of values of the tag's parameter types. Wasm code raises
/// it with <c>throw</c> (or <c>throw_ref</c>, <c>rethrow</c>); when no wasm handler catches it, it reaches the host
/// as this exception. A host function may throw one for wasm code to catch. Inside wasm, an <c>exnref</c> value
/// is the exception object itself.
/// </summary>
/// <remarks>Traps are <see cref="TrapException"/>s, never wasm exceptions: wasm handlers do not catch them.</remarks>
public sealed class WasmException : WeftException
{
    // Read by compiled code: handlers compare the tag by identity and unpack the values.
    internal readonly Tag TagField;
    internal readonly WasmValue[] Values;
    private ReadOnlyCollection<WasmValue>? _payload;

    /// <summary>Creates an exception with a tag and its payload, for a host function to throw.</summary>
    /// <param name="tag">The tag (from an instance's exports, or created by the host and linked into modules).</param>
    /// <param name="payload">One value per parameter of the tag, of the parameter's kind.</param>
    /// <exception cref="ArgumentException">The payload does not fit the tag's parameters.</exception>
    public WasmException(Tag tag, params WasmValue[] payload)
        : base(UncaughtReason, UncaughtReason)
    {
        TagField = tag;
        Values = Validate(tag, payload);
    }

    // Compiled code's constructor: the validator has already typed the payload, and the array is fresh.
    private WasmException(WasmValue[] values, Tag tag)
        : base(UncaughtReason, UncaughtReason)
    {
        TagField = tag;
        Values = values;
    }

    /// <summary>The reason of every wasm exception that reaches the host (the reference interpreter's wording).</summary>
    internal const string UncaughtReason = "uncaught exception";

    /// <summary>The tag, compared by identity: the same tag object in every instance that imports it.</summary>
    public Tag Tag => TagField;

    /// <summary>
    /// The wasm functions on the stack where the exception was last thrown (by <c>throw</c>, <c>throw_ref</c> or a host
    /// function), innermost first, read from the exception's stack trace when asked (see <see cref="WasmFrame"/>).
    /// Between the functions of one module an exception travels by return rather than as a .NET throw, so for one
    /// raised by wasm the frames start at the outermost function it returned through (docs/RATIONALE.md).
    /// </summary>
    public IReadOnlyList<WasmFrame> Frames => Runtime.Backtrace.Of(this);

    /// <summary>The payload, one value per parameter of the tag.</summary>
    public IReadOnlyList<WasmValue> Payload => _payload ??= Array.AsReadOnly(Values);

    /// <summary>The reason with the payload, computed only when asked (throwing stays cheap).</summary>
    public override string Message
    {
        get
        {
            var text = new StringBuilder(UncaughtReason).Append(" (");
            for (int i = 0; i < Values.Length; i++)
            {
                if (i > 0) text.Append(' ');
                text.Append(Values[i].ToString());
            }
            return text.Append(')').ToString();
        }
    }

    /// <summary>Creates an exception from compiled code, whose payload the validator has already typed.</summary>
    internal static WasmException Create(WasmValue[] values, Tag tag) => new(values, tag);

    private static WasmValue[] Validate(Tag tag, WasmValue[] payload)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(payload);
        var parameters = tag.CanonicalType.Params;
        if (payload.Length != parameters.Length)
        {
            throw new ArgumentException($"the tag takes {parameters.Length} values, not {payload.Length}", nameof(payload));
        }
        for (int i = 0; i < payload.Length; i++)
        {
            var type = parameters[i];
            if (payload[i].Kind != type.Kind)
            {
                throw new ArgumentException($"value {i} is {payload[i].Kind}, the tag expects {type}", nameof(payload));
            }
            if (type.IsRef && !type.Nullable && payload[i].AsReference() is null)
            {
                throw new ArgumentException($"value {i} is null, the tag expects {type}", nameof(payload));
            }
        }
        return (WasmValue[])payload.Clone();
    }
}
