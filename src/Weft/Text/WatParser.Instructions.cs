using System.Runtime.CompilerServices;
using Weft.Binary;
using Weft.Syntax;

namespace Weft.Text;

// Instruction sequences in plain and folded form and the structured instructions (spec 6.5), encoded as they are
// read. A folded instruction's immediates are encoded into a scratch buffer, its operands into the output, and
// then the instruction itself.
internal sealed partial class WatParser
{
    private const int MaxNesting = 10_000;
    private readonly Stack<WasmWriter> _scratch = new();
    private int _nesting;

    // While a function with branch hints is parsed: where each instruction starts in the source (the token index of
    // its keyword, or of its parenthesis when folded) and where its opcode is in the encoded body.
    private List<(int Token, int Offset)>? _instructionStarts;

    private void MarkInstruction(int token, int offset) => _instructionStarts?.Add((token, offset));

    /// <summary>Parses a constant expression (instructions up to the closing parenthesis, left unconsumed).</summary>
    private ConstExpr ParseConstExpr()
    {
        BeginLocals();
        _labels.Clear();
        var w = new WasmWriter(16);
        ParseInstructions(w);
        w.WriteByte((byte)Opcode.End);
        return new ConstExpr(w.ToArray());
    }

    /// <summary>Parses the one folded instruction of an offset or element item abbreviation.</summary>
    private ConstExpr ParseSingleFoldedConstExpr()
    {
        BeginLocals();
        _labels.Clear();
        var w = new WasmWriter(16);
        ParseFolded(w);
        w.WriteByte((byte)Opcode.End);
        return new ConstExpr(w.ToArray());
    }

    private void Enter(Token at)
    {
        if (++_nesting > MaxNesting || !RuntimeHelpers.TryEnsureSufficientExecutionStack()) _c.Fail("nesting too deep", at);
    }

    private void Exit() => _nesting--;

    private bool IsBlockTerminator(Token token) =>
        token.Kind == TokenKind.Keyword && _c.Text(token) is "end" or "else" or "catch" or "catch_all" or "delegate";

    /// <summary>
    /// Parses instructions, plain or folded, up to a closing parenthesis or a keyword that ends a block
    /// (<c>end</c>, <c>else</c>, <c>catch</c>, <c>catch_all</c>, <c>delegate</c>), which is left for the caller.
    /// </summary>
    private void ParseInstructions(WasmWriter w)
    {
        Enter(_c.Peek());
        while (true)
        {
            var token = _c.Peek();
            if (token.Kind == TokenKind.LParen)
            {
                ParseFolded(w);
            }
            else if (token.Kind == TokenKind.Keyword && !IsBlockTerminator(token))
            {
                ParsePlain(w);
            }
            else
            {
                break;
            }
        }
        Exit();
    }

    private void ParsePlain(WasmWriter w)
    {
        // A plain instruction's opcode is written first.
        MarkInstruction(_c.Position, w.Length);
        var token = _c.Next();
        string name = _c.Text(token);
        switch (name)
        {
            case "block": ParseBlock(w, Opcode.Block); break;
            case "loop": ParseBlock(w, Opcode.Loop); break;
            case "if": ParseIf(w); break;
            case "try_table": ParseTryTable(w, folded: false); break;
            case "try": ParseTry(w); break;
            default: ParseOperation(w, token, name); break;
        }
    }

    private void ParseFolded(WasmWriter w)
    {
        int start = _c.Position;
        var open = _c.Expect(TokenKind.LParen);
        Enter(open);
        var token = _c.Next();
        if (token.Kind != TokenKind.Keyword) _c.Unexpected(token);
        string name = _c.Text(token);
        switch (name)
        {
            case "block":
            case "loop":
            {
                string? label = _c.TryId();
                var type = ParseBlockType();
                MarkInstruction(start, w.Length);
                InstructionWriter.Write(w, new Instruction { Opcode = name == "block" ? Opcode.Block : Opcode.Loop, BlockType = type });
                _labels.Add(label);
                ParseInstructions(w);
                _labels.RemoveAt(_labels.Count - 1);
                _c.ExpectRParen();
                w.WriteByte((byte)Opcode.End);
                break;
            }
            case "if":
                ParseFoldedIf(w, start);
                break;
            case "try_table":
                // Its clauses encode nothing before the opcode.
                MarkInstruction(start, w.Length);
                ParseTryTable(w, folded: true);
                break;
            case "try":
                MarkInstruction(start, w.Length);
                ParseFoldedTry(w);
                break;
            default:
            {
                if (IsBlockTerminator(token)) _c.Unexpected(token);
                var scratch = _scratch.Count > 0 ? _scratch.Pop() : new WasmWriter(32);
                scratch.Clear();
                ParseOperation(scratch, token, name);
                while (_c.Is(TokenKind.LParen)) ParseFolded(w);
                _c.ExpectRParen();
                MarkInstruction(start, w.Length);
                w.WriteBytes(scratch.WrittenSpan);
                _scratch.Push(scratch);
                break;
            }
        }
        Exit();
    }

    // block|loop label? blocktype instr* end label?
    private void ParseBlock(WasmWriter w, Opcode opcode)
    {
        string? label = _c.TryId();
        var type = ParseBlockType();
        InstructionWriter.Write(w, new Instruction { Opcode = opcode, BlockType = type });
        _labels.Add(label);
        ParseInstructions(w);
        _c.ExpectKeyword("end");
        CheckEndLabel(label);
        _labels.RemoveAt(_labels.Count - 1);
        w.WriteByte((byte)Opcode.End);
    }

    // A label after end/else must repeat the block's own.
    private void CheckEndLabel(string? label)
    {
        if (!_c.Is(TokenKind.Id)) return;
        var token = _c.Next();
        if (label is null || _c.Lexer.IdName(token) != label) _c.Fail("mismatching label", token);
    }

    // if label? blocktype instr* (else label? instr*)? end label?
    private void ParseIf(WasmWriter w)
    {
        string? label = _c.TryId();
        var type = ParseBlockType();
        InstructionWriter.Write(w, new Instruction { Opcode = Opcode.If, BlockType = type });
        _labels.Add(label);
        ParseInstructions(w);
        if (_c.TryKeyword("else"))
        {
            CheckEndLabel(label);
            ParseElseBody(w);
        }
        _c.ExpectKeyword("end");
        CheckEndLabel(label);
        _labels.RemoveAt(_labels.Count - 1);
        w.WriteByte((byte)Opcode.End);
    }

    // An empty else branch is left out, as the binary format's canonical encoding does.
    private void ParseElseBody(WasmWriter w)
    {
        int mark = w.Length;
        w.WriteByte((byte)Opcode.Else);
        ParseInstructions(w);
        if (w.Length == mark + 1) w.SetLength(mark);
    }

    // (if label? blocktype foldedinstr* (then instr*) (else instr*)?) — after "(if".
    private void ParseFoldedIf(WasmWriter w, int start)
    {
        string? label = _c.TryId();
        var type = ParseBlockType();
        while (_c.Is(TokenKind.LParen) && !_c.AtForm("then")) ParseFolded(w);
        MarkInstruction(start, w.Length);
        InstructionWriter.Write(w, new Instruction { Opcode = Opcode.If, BlockType = type });
        _labels.Add(label);
        if (!_c.TryForm("then")) _c.Unexpected(_c.Peek());
        ParseInstructions(w);
        _c.ExpectRParen();
        if (_c.TryForm("else"))
        {
            ParseElseBody(w);
            _c.ExpectRParen();
        }
        _c.ExpectRParen();
        _labels.RemoveAt(_labels.Count - 1);
        w.WriteByte((byte)Opcode.End);
    }

    // try_table label? blocktype catch* instr* (end label? | ")")
    private void ParseTryTable(WasmWriter w, bool folded)
    {
        string? label = _c.TryId();
        var type = ParseBlockType();
        // Catch clauses branch to labels outside the try_table: resolve them before its own label is bound.
        var clauses = new List<CatchClause>();
        while (true)
        {
            if (_c.TryForm("catch"))
            {
                uint tag = ParseIndex(_tagSpace);
                clauses.Add(new CatchClause(CatchKind.Catch, tag, ParseLabel()));
            }
            else if (_c.TryForm("catch_ref"))
            {
                uint tag = ParseIndex(_tagSpace);
                clauses.Add(new CatchClause(CatchKind.CatchRef, tag, ParseLabel()));
            }
            else if (_c.TryForm("catch_all"))
            {
                clauses.Add(new CatchClause(CatchKind.CatchAll, 0, ParseLabel()));
            }
            else if (_c.TryForm("catch_all_ref"))
            {
                clauses.Add(new CatchClause(CatchKind.CatchAllRef, 0, ParseLabel()));
            }
            else
            {
                break;
            }
            _c.ExpectRParen();
        }
        InstructionWriter.WriteTryTable(w, type, clauses);
        _labels.Add(label);
        ParseInstructions(w);
        if (folded)
        {
            _c.ExpectRParen();
        }
        else
        {
            _c.ExpectKeyword("end");
            CheckEndLabel(label);
        }
        _labels.RemoveAt(_labels.Count - 1);
        w.WriteByte((byte)Opcode.End);
    }

    // Legacy exception handling: try label? blocktype instr* (catch x instr*)* (catch_all instr*)? end label?
    // or try label? blocktype instr* delegate l.
    private void ParseTry(WasmWriter w)
    {
        string? label = _c.TryId();
        var type = ParseBlockType();
        InstructionWriter.Write(w, new Instruction { Opcode = Opcode.Try, BlockType = type });
        _labels.Add(label);
        ParseInstructions(w);
        if (_c.TryKeyword("delegate"))
        {
            _labels.RemoveAt(_labels.Count - 1);
            InstructionWriter.Write(w, new Instruction { Opcode = Opcode.Delegate, Index = ParseLabel() });
            return;
        }
        while (_c.TryKeyword("catch"))
        {
            InstructionWriter.Write(w, new Instruction { Opcode = Opcode.Catch, Index = ParseIndex(_tagSpace) });
            ParseInstructions(w);
        }
        if (_c.TryKeyword("catch_all"))
        {
            w.WriteByte((byte)Opcode.CatchAll);
            ParseInstructions(w);
        }
        _c.ExpectKeyword("end");
        CheckEndLabel(label);
        _labels.RemoveAt(_labels.Count - 1);
        w.WriteByte((byte)Opcode.End);
    }

    // (try label? blocktype (do instr*) ((catch x instr*)* (catch_all instr*)? | (delegate l))) — after "(try".
    private void ParseFoldedTry(WasmWriter w)
    {
        string? label = _c.TryId();
        var type = ParseBlockType();
        InstructionWriter.Write(w, new Instruction { Opcode = Opcode.Try, BlockType = type });
        _labels.Add(label);
        if (!_c.TryForm("do")) _c.Unexpected(_c.Peek());
        ParseInstructions(w);
        _c.ExpectRParen();
        if (_c.TryForm("delegate"))
        {
            _labels.RemoveAt(_labels.Count - 1);
            InstructionWriter.Write(w, new Instruction { Opcode = Opcode.Delegate, Index = ParseLabel() });
            _c.ExpectRParen();
            _c.ExpectRParen();
            return;
        }
        while (_c.TryForm("catch"))
        {
            InstructionWriter.Write(w, new Instruction { Opcode = Opcode.Catch, Index = ParseIndex(_tagSpace) });
            ParseInstructions(w);
            _c.ExpectRParen();
        }
        if (_c.TryForm("catch_all"))
        {
            w.WriteByte((byte)Opcode.CatchAll);
            ParseInstructions(w);
            _c.ExpectRParen();
        }
        _c.ExpectRParen();
        _labels.RemoveAt(_labels.Count - 1);
        w.WriteByte((byte)Opcode.End);
    }

    /// <summary>
    /// Parses a block type: <c>(type x)? (param t*)* (result t*)*</c>. No type and at most one result is encoded
    /// directly; anything else becomes a type index, found or appended as for any type use.
    /// </summary>
    private BlockType ParseBlockType()
    {
        var at = _c.Peek();
        uint? explicitIndex = null;
        if (_c.TryForm("type"))
        {
            explicitIndex = ParseIndex(_typeSpace);
            _c.ExpectRParen();
        }
        var parameters = new List<ValType>();
        var results = new List<ValType>();
        ParseParams(parameters, null, allowNames: false);
        ParseResults(results);
        RejectMisplacedParam();
        if (explicitIndex is null && parameters.Count == 0)
        {
            if (results.Count == 0) return BlockType.Empty;
            if (results.Count == 1) return BlockType.Of(results[0]);
        }
        return BlockType.OfTypeIndex(ResolveTypeUse(explicitIndex, parameters, results, at));
    }
}
