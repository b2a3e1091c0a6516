using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Weft.Syntax;

namespace Weft.Runtime;

/// <summary>
/// What the IL evaluation stack holds for a wasm value: the CLR type class. All references are <c>object</c>
/// (null is null), so the compiler needs no more than these six kinds to keep the IL stack consistent.
/// </summary>
internal enum StackKind : byte
{
    I32,
    I64,
    F32,
    F64,
    V128,
    Ref,
}

/// <summary>The mapping from wasm types to CLR types.</summary>
internal static class ClrTypes
{
    public static readonly Type V128 = typeof(Vector128<byte>);

    public static StackKind KindOf(ValType type) => type.Kind switch
    {
        ValKind.I32 => StackKind.I32,
        ValKind.I64 => StackKind.I64,
        ValKind.F32 => StackKind.F32,
        ValKind.F64 => StackKind.F64,
        ValKind.V128 => StackKind.V128,
        _ => StackKind.Ref,
    };

    public static Type Of(StackKind kind) => kind switch
    {
        StackKind.I32 => typeof(int),
        StackKind.I64 => typeof(long),
        StackKind.F32 => typeof(float),
        StackKind.F64 => typeof(double),
        StackKind.V128 => V128,
        _ => typeof(object),
    };

    public static Type Of(ValType type) => Of(KindOf(type));

    /// <summary>The CLR return type of a wasm result list: void, the single type, or a ValueTuple.</summary>
    public static Type ReturnType(IReadOnlyList<ValType> results) => results.Count switch
    {
        0 => typeof(void),
        1 => Of(results[0]),
        _ => TupleType(results.Select(Of).ToArray()),
    };

    /// <summary>
    /// Up to this many elements a tuple is C#'s ValueTuple (nested through TRest beyond seven), which typed calls
    /// and typed host functions use; beyond, a balanced tree of 7-tuples (see <see cref="TupleLayout"/>).
    /// </summary>
    public const int MaxStandardTuple = 32;

    /// <summary>The tuple type over the given element types (see <see cref="TupleLayout"/>).</summary>
    public static Type TupleType(ReadOnlySpan<Type> elements) => TupleLayout.Of(elements.ToArray()).Root;

    /// <summary>The CLR parameter types of a wasm signature, followed by the context parameter.</summary>
    public static Type[] ParameterTypes(IReadOnlyList<ValType> parameters, Type context)
    {
        var types = new Type[parameters.Count + 1];
        for (int i = 0; i < parameters.Count; i++) types[i] = Of(parameters[i]);
        types[^1] = context;
        return types;
    }

    /// <summary>
    /// Packs the top values (first deepest) into their tuple. Up to seven, one newobj. Beyond, the tuple is filled
    /// in place through a managed pointer to each nested tuple: a chain of newobj would copy each level into the
    /// next, bytes quadratic in the element count.
    /// </summary>
    public static void EmitPackTuple(ILGenerator il, Type[] types)
    {
        var layout = TupleLayout.Of(types);
        if (layout.Nodes.Length == 1)
        {
            il.Emit(OpCodes.Newobj, layout.Root.GetConstructor(types)!);
            return;
        }
        var tuple = il.DeclareLocal(layout.Root);
        var pointers = EmitNodePointers(il, layout, tuple, il.DeclareLocal);
        var temps = new Dictionary<Type, LocalBuilder>();
        for (int i = types.Length - 1; i >= 0; i--)
        {
            if (!temps.TryGetValue(types[i], out var temp)) temps[types[i]] = temp = il.DeclareLocal(types[i]);
            il.Emit(OpCodes.Stloc, temp);
            var (node, field) = layout.Elements[i];
            EmitNodeAddress(il, tuple, pointers, node);
            il.Emit(OpCodes.Ldloc, temp);
            il.Emit(OpCodes.Stfld, field);
        }
        il.Emit(OpCodes.Ldloc, tuple);
    }

    /// <summary>Stores a managed pointer to each nested tuple (node 0, the root, is the local itself: null).</summary>
    public static LocalBuilder?[] EmitNodePointers(ILGenerator il, TupleLayout layout, LocalBuilder tuple, Func<Type, LocalBuilder> declare)
    {
        var pointers = new LocalBuilder?[layout.Nodes.Length];
        for (int n = 1; n < layout.Nodes.Length; n++)
        {
            var node = layout.Nodes[n];
            pointers[n] = declare(node.Type.MakeByRefType());
            EmitNodeAddress(il, tuple, pointers, node.Parent);
            il.Emit(OpCodes.Ldflda, node.FieldInParent!);
            il.Emit(OpCodes.Stloc, pointers[n]!);
        }
        return pointers;
    }

    /// <summary>Pushes the address of a node of a tuple held in a local.</summary>
    public static void EmitNodeAddress(ILGenerator il, LocalBuilder tuple, LocalBuilder?[] pointers, int node)
    {
        if (node == 0) il.Emit(OpCodes.Ldloca, tuple);
        else il.Emit(OpCodes.Ldloc, pointers[node]!);
    }
}

/// <summary>
/// The shape of the tuple that carries several values: C#'s ValueTuple up to <see cref="ClrTypes.MaxStandardTuple"/>
/// elements; beyond, a balanced tree of ValueTuples of at most seven elements each. The CLR resolves a field of a
/// generic instantiation by walking its whole type, so a TRest chain of n elements costs the JIT about n^2/7 steps
/// for its n fields (1,000 results: seconds); a tree of depth log7(n) costs n log n.
/// </summary>
internal sealed class TupleLayout
{
    /// <summary>One tuple of the tree: its type, and where it sits in its parent (node 0 is the root).</summary>
    internal readonly record struct Node(Type Type, int Parent, FieldInfo? FieldInParent);

    private TupleLayout(Node[] nodes, (int Node, FieldInfo Field)[] elements)
    {
        Nodes = nodes;
        Elements = elements;
    }

    /// <summary>The tuples of the tree, parents before children.</summary>
    public Node[] Nodes { get; }

    /// <summary>For each element, the node that holds it and its field there.</summary>
    public (int Node, FieldInfo Field)[] Elements { get; }

    /// <summary>The type of the whole tuple.</summary>
    public Type Root => Nodes[0].Type;

    /// <summary>The layout for the given element types (at least two).</summary>
    public static TupleLayout Of(Type[] elements)
    {
        if (elements.Length == 0) throw new ArgumentException("a tuple needs at least one element");
        var nodes = new List<Node>();
        var elementSlots = new (int Node, FieldInfo Field)[elements.Length];
        // The types first (bottom-up), then the nodes in order (top-down) with their fields.
        var shape = elements.Length <= ClrTypes.MaxStandardTuple ? Standard(0, elements.Length) : Balanced(0, elements.Length);
        TypeOf(shape, elements);
        Place(shape, -1, null, nodes, elementSlots);
        return new TupleLayout([.. nodes], elementSlots);
    }

    // A tuple of the tree: its children are elements (Element >= 0) or tuples.
    private sealed class Shape
    {
        public int Element = -1;
        public List<Shape> Children = [];
        public bool HasRest;
        public Type? Type;
    }

    private static Shape Leaf(int element) => new() { Element = element };

    // C#'s nesting: seven elements, then the rest as the TRest tuple.
    private static Shape Standard(int first, int count)
    {
        var shape = new Shape();
        for (int i = 0; i < Math.Min(count, 7); i++) shape.Children.Add(Leaf(first + i));
        if (count > 7)
        {
            shape.Children.Add(Standard(first + 7, count - 7));
            shape.HasRest = true;
        }
        return shape;
    }

    // At most seven children, each a subtree of about a seventh of the elements (or an element).
    private static Shape Balanced(int first, int count)
    {
        var shape = new Shape();
        if (count <= 7)
        {
            for (int i = 0; i < count; i++) shape.Children.Add(Leaf(first + i));
            return shape;
        }
        int group = (count + 6) / 7;
        for (int at = 0; at < count; at += group)
        {
            int size = Math.Min(group, count - at);
            shape.Children.Add(size == 1 ? Leaf(first + at) : Balanced(first + at, size));
        }
        return shape;
    }

    private static Type TypeOf(Shape shape, Type[] elements)
    {
        if (shape.Element >= 0) return elements[shape.Element];
        var args = shape.Children.Select(c => TypeOf(c, elements)).ToArray();
        shape.Type = Generic(args.Length).MakeGenericType(args);
        return shape.Type;
    }

    private static void Place(Shape shape, int parent, FieldInfo? field, List<Node> nodes, (int Node, FieldInfo Field)[] elementSlots)
    {
        int index = nodes.Count;
        nodes.Add(new Node(shape.Type!, parent, field));
        for (int i = 0; i < shape.Children.Count; i++)
        {
            var child = shape.Children[i];
            var childField = shape.Type!.GetField(shape.HasRest && i == 7 ? "Rest" : "Item" + (i + 1))!;
            if (child.Element >= 0) elementSlots[child.Element] = (index, childField);
            else Place(child, index, childField, nodes, elementSlots);
        }
    }

    private static Type Generic(int arity) => arity switch
    {
        1 => typeof(ValueTuple<>),
        2 => typeof(ValueTuple<,>),
        3 => typeof(ValueTuple<,,>),
        4 => typeof(ValueTuple<,,,>),
        5 => typeof(ValueTuple<,,,,>),
        6 => typeof(ValueTuple<,,,,,>),
        7 => typeof(ValueTuple<,,,,,,>),
        8 => typeof(ValueTuple<,,,,,,,>),
        _ => throw new ArgumentException("a ValueTuple has one to eight type arguments"),
    };
}
