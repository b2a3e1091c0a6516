using System.Globalization;
using System.Text;

namespace Weft.Tests.Exceptions;

/// <summary>
/// Generates valid functions that nest try_table, legacy try/catch/delegate, blocks, loops and ifs at random, with
/// branches, br_table, throws, rethrows, throw_ref, calls that may throw, returns and return_calls crossing them,
/// and values left below nested blocks. Loops are bounded by a fuel counter, so every function terminates.
/// Exported as f0..fN, each (param i32) (result i32).
/// </summary>
internal sealed class RandomHandlerPrograms
{
    private enum LabelType { Void, I32, Exn }

    private sealed record Label(LabelType Type, bool IsLoop = false, bool IsCatchArm = false);

    private const int MaxDepth = 4;
    private readonly Random _random;
    private readonly StringBuilder _text = new();
    private readonly List<Label> _labels = [];

    private readonly ProgramForm _form;

    private RandomHandlerPrograms(int seed, ProgramForm form)
    {
        _random = new Random(seed);
        _form = form;
    }

    private bool NoRefs => _form != ProgramForm.Full;

    /// <summary>The module text of a seed, in one of the <see cref="ProgramForm"/>s.</summary>
    public static string Module(int seed, int functions, ProgramForm form = ProgramForm.Full)
    {
        bool legacyOnly = form != ProgramForm.Full && form != ProgramForm.NoRefs;
        var generator = new RandomHandlerPrograms(seed, form);
        var text = generator._text;
        text.AppendLine("(module");
        text.AppendLine("  (tag $e (param i32))");
        text.AppendLine("  (tag $f)");
        text.AppendLine("  (func $h (param i32) (result i32)");
        text.AppendLine("    (if (i32.eqz (i32.rem_u (local.get 0) (i32.const 5))) (then (throw $e (local.get 0))))");
        text.AppendLine("    (if (i32.eq (i32.rem_u (local.get 0) (i32.const 7)) (i32.const 3)) (then (throw $f)))");
        text.AppendLine("    (i32.add (local.get 0) (i32.const 1)))");
        for (int i = 0; i < functions; i++)
        {
            string exnref = generator.NoRefs ? "" : " (local $ex exnref)";
            text.Append(CultureInfo.InvariantCulture, $"  (func (export \"f{i}\") (param i32) (result i32) (local $x i32){exnref} (local $fuel i32)\n");
            text.AppendLine("    (local.set $x (local.get 0))");
            generator.Statements(1);
            text.AppendLine("    (local.get $x))");
        }
        text.AppendLine(")");
        return text.ToString();
    }

    private bool Chance(int percent) => _random.Next(100) < percent;

    private void Statements(int depth)
    {
        int count = _random.Next(depth >= MaxDepth ? 2 : 4);
        for (int i = 0; i < count; i++) Statement(depth);
    }

    private void Nested(Label label, int depth, Action body)
    {
        _labels.Add(label);
        body();
        _labels.RemoveAt(_labels.Count - 1);
    }

    // A label index counted from the innermost label.
    private int Depth(int labelIndex) => _labels.Count - 1 - labelIndex;

    private int? PickLabel(Func<Label, bool> fits)
    {
        var candidates = Enumerable.Range(0, _labels.Count).Where(i => fits(_labels[i])).ToList();
        return candidates.Count == 0 ? null : candidates[_random.Next(candidates.Count)];
    }

    private void Statement(int depth)
    {
        int choice = _random.Next(depth >= MaxDepth ? 2 : 18);
        if (NoRefs && choice is 6 or 14) choice = 0;
        if (_form == ProgramForm.LegacyOnly && choice is 7 or 8) choice = 9;
        var t = _text;
        switch (choice)
        {
            case 0:
                t.Append("(local.set $x ");
                Expression();
                t.Append(')');
                break;
            case 1:
                Branch();
                break;
            case 2:
                t.Append("(block ");
                Nested(new Label(LabelType.Void), depth, () => Statements(depth + 1));
                t.Append(')');
                break;
            case 3:
                t.Append("(loop ");
                Nested(new Label(LabelType.Void, IsLoop: true), depth, () =>
                {
                    Statements(depth + 1);
                    t.Append("(br_if 0 (i32.lt_u (local.tee $fuel (i32.add (local.get $fuel) (i32.const 1))) (i32.const 30)))");
                });
                t.Append(')');
                break;
            case 4:
                t.Append("(if ");
                Expression();
                t.Append(" (then ");
                Nested(new Label(LabelType.Void), depth, () => Statements(depth + 1));
                t.Append(") (else ");
                Nested(new Label(LabelType.Void), depth, () => Statements(depth + 1));
                t.Append("))");
                break;
            case 5:
                t.Append("(local.set $x (block (result i32) ");
                Nested(new Label(LabelType.I32), depth, () =>
                {
                    Statements(depth + 1);
                    Expression();
                });
                t.Append("))");
                break;
            case 6:
                t.Append("(local.set $ex (block (result exnref) ");
                Nested(new Label(LabelType.Exn), depth, () => Statements(depth + 1));
                t.Append("(ref.null exn)))");
                break;
            case 7:
            case 8:
                TryTable(depth);
                break;
            case 9:
            case 10:
                LegacyTry(depth);
                break;
            case 11:
                t.Append("(local.set $x (call $h ");
                Expression();
                t.Append("))");
                break;
            case 12:
                // A value stays below a block that may branch, throw or catch.
                t.Append("(local.set $x (i32.add ");
                Expression();
                t.Append(" (block (result i32) ");
                Nested(new Label(LabelType.I32), depth, () =>
                {
                    Statements(depth + 1);
                    Expression();
                });
                t.Append(")))");
                break;
            case 13:
                Guarded(() =>
                {
                    if (Chance(50)) { t.Append("(throw $e "); Expression(); t.Append(')'); }
                    else t.Append("(throw $f)");
                });
                break;
            case 14:
                t.Append("(if (ref.is_null (local.get $ex)) (then) (else (throw_ref (local.get $ex))))");
                break;
            case 15:
                if (PickLabel(l => l.IsCatchArm) is { } arm)
                {
                    Guarded(() => t.Append(CultureInfo.InvariantCulture, $"(rethrow {Depth(arm)})"));
                }
                break;
            case 16:
                Guarded(() => { t.Append("(return "); Expression(); t.Append(')'); });
                break;
            default:
                Guarded(() => { t.Append("(return_call $h "); Expression(); t.Append(')'); });
                break;
        }
        t.Append('\n');
    }

    /// <summary>Emits an instruction that does not fall through inside an if, so code after it stays live.</summary>
    private void Guarded(Action transfer)
    {
        _text.Append("(if ");
        Expression();
        _text.Append(" (then ");
        _labels.Add(new Label(LabelType.Void));
        transfer();
        _labels.RemoveAt(_labels.Count - 1);
        _text.Append("))");
    }

    private void Branch()
    {
        if (_labels.Count == 0) return;
        if (Chance(25) && _labels.Count(l => l.Type == LabelType.Void && !l.IsLoop) >= 1)
        {
            Guarded(() =>
            {
                var targets = Enumerable.Range(0, _random.Next(1, 4))
                    .Select(_ => PickLabel(l => l.Type == LabelType.Void && !l.IsLoop)!.Value)
                    .Select(Depth);
                _text.Append("(br_table ").AppendJoin(' ', targets).Append(' ');
                Expression();
                _text.Append(')');
            });
            return;
        }
        Guarded(() =>
        {
            int index = _random.Next(_labels.Count);
            var label = _labels[index];
            int depth = Depth(index);
            if (label.IsLoop)
            {
                _text.Append(CultureInfo.InvariantCulture,
                    $"(br_if {depth} (i32.lt_u (local.tee $fuel (i32.add (local.get $fuel) (i32.const 1))) (i32.const 30)))");
                return;
            }
            _text.Append(CultureInfo.InvariantCulture, $"(br {depth}");
            if (label.Type == LabelType.I32) { _text.Append(' '); Expression(); }
            else if (label.Type == LabelType.Exn) _text.Append(" (ref.null exn)");
            _text.Append(')');
        });
    }

    private void TryTable(int depth)
    {
        var clauses = new List<(string Kind, int Depth)>();
        int count = _random.Next(4);
        for (int i = 0; i < count; i++)
        {
            // Catch targets are never loops: a handler that branches back to retry could loop forever.
            switch (_random.Next(5))
            {
                case 0 when PickLabel(l => l.Type == LabelType.I32) is { } l:
                    clauses.Add(("catch $e", Depth(l)));
                    break;
                case 1 when PickLabel(l => l.Type == LabelType.Void && !l.IsLoop) is { } l:
                    clauses.Add(("catch $f", Depth(l)));
                    break;
                case 2 when PickLabel(l => l.Type == LabelType.Void && !l.IsLoop) is { } l:
                    clauses.Add(("catch_all", Depth(l)));
                    break;
                case 3 when PickLabel(l => l.Type == LabelType.Exn) is { } l:
                    clauses.Add(("catch_ref $f", Depth(l)));
                    break;
                case 4 when PickLabel(l => l.Type == LabelType.Exn) is { } l:
                    clauses.Add(("catch_all_ref", Depth(l)));
                    break;
            }
        }
        if (_form == ProgramForm.NoRefsAsLegacy)
        {
            // The same handlers as legacy catch arms that branch (one label further out, past the try's own).
            _text.Append("(try (do ");
            Nested(new Label(LabelType.Void), depth, () => Statements(depth + 1));
            _text.Append(')');
            var seen = new HashSet<string>();
            foreach (var (kind, target) in clauses)
            {
                if (!seen.Add(kind)) continue;
                _text.Append(CultureInfo.InvariantCulture, $" ({kind} (br {target + 1}))");
                if (kind == "catch_all") break;
            }
            _text.Append(')');
            return;
        }
        _text.Append("(try_table");
        foreach (var (kind, target) in clauses) _text.Append(CultureInfo.InvariantCulture, $" ({kind} {target})");
        _text.Append(' ');
        Nested(new Label(LabelType.Void), depth, () => Statements(depth + 1));
        _text.Append(')');
    }

    private void LegacyTry(int depth)
    {
        _text.Append("(try (do ");
        Nested(new Label(LabelType.Void), depth, () => Statements(depth + 1));
        _text.Append(')');
        if (Chance(25) && _labels.Count > 0)
        {
            _text.Append(CultureInfo.InvariantCulture, $" (delegate {Depth(_random.Next(_labels.Count))}))");
            return;
        }
        if (Chance(60))
        {
            _text.Append(" (catch $e (local.set $x (i32.add (local.get $x))) ");
            Nested(new Label(LabelType.Void, IsCatchArm: true), depth, () => Statements(depth + 1));
            _text.Append(')');
        }
        if (Chance(40))
        {
            _text.Append(" (catch $f ");
            Nested(new Label(LabelType.Void, IsCatchArm: true), depth, () => Statements(depth + 1));
            _text.Append(')');
        }
        if (Chance(50))
        {
            _text.Append(" (catch_all ");
            Nested(new Label(LabelType.Void, IsCatchArm: true), depth, () => Statements(depth + 1));
            _text.Append(')');
        }
        _text.Append(')');
    }

    private void Expression()
    {
        switch (_random.Next(6))
        {
            case 0: _text.Append("(local.get $x)"); break;
            case 1: _text.Append("(local.get 0)"); break;
            case 2: _text.Append(CultureInfo.InvariantCulture, $"(i32.const {_random.Next(-3, 12)})"); break;
            case 3: _text.Append("(i32.and (i32.add (local.get $x) (local.get 0)) (i32.const 1))"); break;
            case 4: _text.Append("(i32.add (local.get $x) (i32.const 1))"); break;
            default: _text.Append("(i32.rem_u (local.get $fuel) (i32.const 3))"); break;
        }
    }
}

/// <summary>The shapes <see cref="RandomHandlerPrograms"/> generates.</summary>
internal enum ProgramForm
{
    /// <summary>Everything, exnref included.</summary>
    Full,
    /// <summary>No exnref (catch_ref, throw_ref): try_table with catch and catch_all only, and legacy try.</summary>
    NoRefs,
    /// <summary>The same program as <see cref="NoRefs"/> for the same seed, each try_table written as a legacy try.</summary>
    NoRefsAsLegacy,
    /// <summary>Legacy exception handling only.</summary>
    LegacyOnly,
}
