using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>Spec 3.4.5 table.get.</summary>
    private void TableGet(uint table)
    {
        var type = TableAt(table);
        Pop(type.Limits.AddressValType);
        Push(type.ElementType);
    }

    /// <summary>Spec 3.4.5 table.set.</summary>
    private void TableSet(uint table)
    {
        var type = TableAt(table);
        Pop([type.Limits.AddressValType, type.ElementType]);
    }

    /// <summary>Spec 3.4.5 table.size.</summary>
    private void TableSize(uint table) => Push(TableAt(table).Limits.AddressValType);

    /// <summary>Spec 3.4.5 table.grow.</summary>
    private void TableGrow(uint table)
    {
        var type = TableAt(table);
        var address = type.Limits.AddressValType;
        Pop([type.ElementType, address]);
        Push(address);
    }

    /// <summary>Spec 3.4.5 table.fill.</summary>
    private void TableFill(uint table)
    {
        var type = TableAt(table);
        var address = type.Limits.AddressValType;
        Pop([address, type.ElementType, address]);
    }

    /// <summary>Spec 3.4.5 table.copy: the count uses the smaller of the two address types.</summary>
    private void TableCopy(uint destination, uint source)
    {
        var target = TableAt(destination);
        var origin = TableAt(source);
        if (!Subtyping.MatchesRef(origin.ElementType, target.ElementType))
        {
            throw Error($"type mismatch: source element type {Format(origin.ElementType)} does not match destination element type {Format(target.ElementType)}");
        }
        Pop([target.Limits.AddressValType, origin.Limits.AddressValType, SmallerAddress(target.Limits, origin.Limits)]);
    }

    /// <summary>Spec 3.4.5 table.init (binary immediates: segment, then table).</summary>
    private void TableInit(uint segment, uint table)
    {
        var type = TableAt(table);
        var element = ElementAt(segment);
        if (!Subtyping.MatchesRef(element, type.ElementType))
        {
            throw Error($"type mismatch: element segment's type {Format(element)} does not match table's element type {Format(type.ElementType)}");
        }
        Pop([type.Limits.AddressValType, ValType.I32, ValType.I32]);
    }

    private static ValType SmallerAddress(Limits a, Limits b) =>
        a.AddressType == AddressType.I64 && b.AddressType == AddressType.I64 ? ValType.I64 : ValType.I32;
}
