using Weft.Syntax;
using Weft.Text;

namespace Weft.Script;

// Constants given as invoke arguments and the result patterns of assert_return.
internal sealed partial class WastParser
{
    private ScriptValue ParseArgument()
    {
        _cursor.ExpectLParen();
        var head = _cursor.Next();
        if (head.Kind != TokenKind.Keyword) _cursor.Unexpected(head);
        ScriptValue value;
        switch (_cursor.Text(head))
        {
            case "i32.const": value = new ScriptValue(ScriptValueKind.I32, ParseInt(32)); break;
            case "i64.const": value = new ScriptValue(ScriptValueKind.I64, ParseInt(64)); break;
            case "f32.const": value = new ScriptValue(ScriptValueKind.F32, ParseF32()); break;
            case "f64.const": value = new ScriptValue(ScriptValueKind.F64, ParseF64()); break;
            case "v128.const":
            {
                var (lo, hi) = ParseV128();
                value = new ScriptValue(ScriptValueKind.V128, lo, hi);
                break;
            }
            case "ref.null": value = new ScriptValue(ScriptValueKind.RefNull, 0, 0, ParseHeapType()); break;
            case "ref.extern": value = new ScriptValue(ScriptValueKind.RefExtern, ParseHostIndex()); break;
            case "ref.host": value = new ScriptValue(ScriptValueKind.RefHost, ParseHostIndex()); break;
            default:
                _cursor.Unexpected(head);
                return default;
        }
        _cursor.ExpectRParen();
        return value;
    }

    private ResultPattern ParseResult()
    {
        var open = _cursor.Expect(TokenKind.LParen);
        // (either ...) nests by recursion.
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack()) _cursor.Fail("nesting too deep", open);
        var head = _cursor.Next();
        if (head.Kind != TokenKind.Keyword) _cursor.Unexpected(head);
        ResultPattern result;
        switch (_cursor.Text(head))
        {
            case "i32.const": result = Exact(new ScriptValue(ScriptValueKind.I32, ParseInt(32))); break;
            case "i64.const": result = Exact(new ScriptValue(ScriptValueKind.I64, ParseInt(64))); break;
            case "f32.const":
                result = TryNan(out var nan32)
                    ? new ResultPattern(ResultKind.F32Nan) { Nan = nan32 }
                    : Exact(new ScriptValue(ScriptValueKind.F32, ParseF32()));
                break;
            case "f64.const":
                result = TryNan(out var nan64)
                    ? new ResultPattern(ResultKind.F64Nan) { Nan = nan64 }
                    : Exact(new ScriptValue(ScriptValueKind.F64, ParseF64()));
                break;
            case "v128.const": result = ParseV128Pattern(head); break;
            case "ref.null":
                result = new ResultPattern(ResultKind.RefNull) { Heap = _cursor.Is(TokenKind.RParen) ? null : ParseHeapType() };
                break;
            case "ref.extern":
                result = new ResultPattern(ResultKind.RefExtern) { HostIndex = _cursor.Is(TokenKind.RParen) ? null : (uint)ParseHostIndex() };
                break;
            case "ref.host": result = new ResultPattern(ResultKind.RefHost) { HostIndex = (uint)ParseHostIndex() }; break;
            case "ref.func": result = new ResultPattern(ResultKind.RefFunc); break;
            case "ref.struct": result = new ResultPattern(ResultKind.RefStruct); break;
            case "ref.array": result = new ResultPattern(ResultKind.RefArray); break;
            case "ref.i31": result = new ResultPattern(ResultKind.RefI31); break;
            case "ref.eq": result = new ResultPattern(ResultKind.RefEq); break;
            case "ref.exn": result = new ResultPattern(ResultKind.RefExn); break;
            case "ref":
            case "ref.any":
                result = new ResultPattern(ResultKind.RefAny);
                break;
            case "either":
            {
                var alternatives = new List<ResultPattern> { ParseResult() };
                while (!_cursor.Is(TokenKind.RParen)) alternatives.Add(ParseResult());
                result = new ResultPattern(ResultKind.Either) { Alternatives = alternatives };
                break;
            }
            default:
                _cursor.Unexpected(head);
                return null;
        }
        _cursor.ExpectRParen();
        return result;
    }

    private static ResultPattern Exact(ScriptValue value) => new(ResultKind.Value) { Value = value };

    private bool TryNan(out NanPattern nan)
    {
        nan = NanPattern.None;
        if (_cursor.TryKeyword("nan:canonical")) nan = NanPattern.Canonical;
        else if (_cursor.TryKeyword("nan:arithmetic")) nan = NanPattern.Arithmetic;
        return nan != NanPattern.None;
    }

    private Token NumberToken()
    {
        var token = _cursor.Peek();
        if (token.Kind is not (TokenKind.Nat or TokenKind.Int or TokenKind.Float)) _cursor.Unexpected(token);
        return _cursor.Next();
    }

    private ulong ParseInt(int bits)
    {
        var token = NumberToken();
        if (!NumberParser.TryParseInt(_cursor.Lexer.SpanOf(token), bits, out ulong value)) _cursor.Fail("constant out of range", token);
        return value;
    }

    private uint ParseF32()
    {
        var token = NumberToken();
        if (!NumberParser.TryParseF32(_cursor.Lexer.SpanOf(token), out uint bits)) _cursor.Fail("constant out of range", token);
        return bits;
    }

    private ulong ParseF64()
    {
        var token = NumberToken();
        if (!NumberParser.TryParseF64(_cursor.Lexer.SpanOf(token), out ulong bits)) _cursor.Fail("constant out of range", token);
        return bits;
    }

    private ulong ParseHostIndex()
    {
        var token = _cursor.Expect(TokenKind.Nat);
        if (!NumberParser.TryParseNat(_cursor.Lexer.SpanOf(token), 32, out ulong value)) _cursor.Fail("i32 constant out of range", token);
        return value;
    }

    private HeapType ParseHeapType()
    {
        var token = _cursor.Peek();
        if (token.Kind == TokenKind.Nat) return HeapType.Concrete((uint)ParseHostIndex());
        if (token.Kind == TokenKind.Id) _cursor.Fail("unknown type $" + _cursor.Lexer.IdName(token), token);
        if (token.Kind == TokenKind.Keyword && WatParser.TryAbstractHeapType(_cursor.Text(token), out var heap))
        {
            _cursor.Next();
            return heap;
        }
        _cursor.Unexpected(token);
        return default;
    }

    private (LaneShape Shape, V128Shape ModelShape) ParseShape()
    {
        var token = _cursor.Next();
        if (token.Kind == TokenKind.Keyword && LaneShape.TryParse(_cursor.Text(token), out var shape))
        {
            var model = (shape.Bits, shape.IsFloat) switch
            {
                (8, _) => V128Shape.I8x16,
                (16, _) => V128Shape.I16x8,
                (32, false) => V128Shape.I32x4,
                (64, false) => V128Shape.I64x2,
                (32, true) => V128Shape.F32x4,
                _ => V128Shape.F64x2,
            };
            return (shape, model);
        }
        _cursor.Unexpected(token);
        return default;
    }

    private (ulong Lo, ulong Hi) ParseV128()
    {
        var open = _cursor.At(_cursor.Position - 2);
        var (shape, _) = ParseShape();
        var lanes = new List<Token>();
        while (_cursor.Peek().Kind is TokenKind.Nat or TokenKind.Int or TokenKind.Float) lanes.Add(_cursor.Next());
        return V128Literal.Parse(_cursor, shape, lanes, open);
    }

    private ResultPattern ParseV128Pattern(Token head)
    {
        var (shape, model) = ParseShape();
        var lanes = new List<LanePattern>();
        while (!_cursor.Is(TokenKind.RParen))
        {
            if (TryNan(out var nan))
            {
                if (!shape.IsFloat) _cursor.Fail("invalid vector constant", _cursor.At(_cursor.Position - 1));
                lanes.Add(new LanePattern(0, nan));
                continue;
            }
            var token = NumberToken();
            lanes.Add(new LanePattern(V128Literal.ParseLane(_cursor, shape, token), NanPattern.None));
        }
        if (lanes.Count != shape.Count) _cursor.Fail("wrong number of lane literals", head);
        return new ResultPattern(ResultKind.V128Lanes) { Shape = model, Lanes = lanes };
    }
}
