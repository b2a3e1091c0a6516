using System.Text;
using Weft.Syntax;
using Weft.Text;

namespace Weft.Script;

/// <summary>
/// Parses .wast scripts (the spec interpreter's script format) into a <see cref="WastScript"/>. Text modules are
/// parsed right away; a malformed one does not abort the script but is kept as <see cref="ScriptModule.ParseError"/>
/// so that the command using it can report (or, for assert_malformed, expect) the failure.
/// </summary>
internal sealed partial class WastParser
{
    private readonly TokenCursor _cursor;
    private readonly string _path;

    private WastParser(TokenCursor cursor, string path)
    {
        _cursor = cursor;
        _path = path;
    }

    /// <summary>Parses a script. Errors in the script's own structure throw <see cref="MalformedModuleException"/>.</summary>
    public static WastScript Parse(byte[] source, string path)
    {
        var lexer = Lexer.Tokenize(source);
        var parser = new WastParser(new TokenCursor(lexer), path);
        return parser.ParseScript();
    }

    private WastScript ParseScript()
    {
        var commands = new List<ScriptCommand>();
        // A script may also be a bare module: just module fields, without the (module ...) wrapper.
        if (_cursor.Peek().Kind == TokenKind.LParen && IsModuleFieldKeyword(_cursor.Peek(1)))
        {
            var first = _cursor.Peek();
            var module = ParseInlineModule(first);
            commands.Add(new ModuleCommand(module.Line, module));
            return new WastScript(_path, commands);
        }
        while (!_cursor.Is(TokenKind.Eof))
        {
            commands.Add(ParseCommand());
        }
        return new WastScript(_path, commands);
    }

    private bool IsModuleFieldKeyword(Token token)
    {
        if (token.Kind != TokenKind.Keyword) return false;
        foreach (var keyword in (ReadOnlySpan<string>)["type", "rec", "import", "func", "table", "memory", "global", "tag", "export", "start", "elem", "data"])
        {
            if (_cursor.IsKeyword(token, keyword)) return true;
        }
        return false;
    }

    private ScriptModule ParseInlineModule(Token first)
    {
        int line = _cursor.LineOf(first);
        try
        {
            var module = WatParser.ParseModuleFields(_cursor, -1);
            return new ScriptModule(line, null, ScriptModuleKind.Text) { Parsed = module };
        }
        catch (MalformedModuleException e)
        {
            _cursor.SkipTo(int.MaxValue);
            return new ScriptModule(line, null, ScriptModuleKind.Text) { ParseError = e };
        }
    }

    private ScriptCommand ParseCommand()
    {
        var open = _cursor.Expect(TokenKind.LParen);
        var head = _cursor.Peek();
        int line = _cursor.LineOf(open);
        if (head.Kind != TokenKind.Keyword) _cursor.Unexpected(head);
        switch (_cursor.Text(head))
        {
            case "module":
                if (_cursor.IsKeyword(_cursor.Peek(1), "instance"))
                {
                    _cursor.Next();
                    _cursor.Next();
                    string? instance = _cursor.TryId();
                    string? definition = _cursor.TryId();
                    if (definition is null && instance is not null)
                    {
                        // (module instance $M): a single name is the module, as in the reference grammar.
                        definition = instance;
                        instance = null;
                    }
                    _cursor.ExpectRParen();
                    return new ModuleInstanceCommand(line, instance, definition);
                }
                return new ModuleCommand(line, ParseScriptModuleAfterParen(open));
            case "register":
            {
                _cursor.Next();
                string name = ParseName();
                string? module = _cursor.TryId();
                _cursor.ExpectRParen();
                return new RegisterCommand(line, name, module);
            }
            case "invoke":
            case "get":
                return new ActionCommand(line, ParseActionAfterParen(open));
            case "assert_return":
            {
                _cursor.Next();
                var action = ParseAction();
                var expected = new List<ResultPattern>();
                while (!_cursor.Is(TokenKind.RParen)) expected.Add(ParseResult());
                _cursor.ExpectRParen();
                return new AssertReturnCommand(line, action, expected);
            }
            case "assert_trap":
            {
                _cursor.Next();
                ScriptAction? action = null;
                ScriptModule? module = null;
                if (_cursor.AtForm("module")) module = ParseScriptModule();
                else action = ParseAction();
                string message = ParseMessage();
                _cursor.ExpectRParen();
                return new AssertTrapCommand(line, action, module, message);
            }
            case "assert_exhaustion":
            {
                _cursor.Next();
                var action = ParseAction();
                string message = ParseMessage();
                _cursor.ExpectRParen();
                return new AssertExhaustionCommand(line, action, message);
            }
            case "assert_exception":
            {
                _cursor.Next();
                var action = ParseAction();
                _cursor.ExpectRParen();
                return new AssertExceptionCommand(line, action);
            }
            case "thread": return ParseThread(line);
            case "wait":
            {
                _cursor.Next();
                string thread = ExpectId();
                _cursor.ExpectRParen();
                return new WaitCommand(line, thread);
            }
            case "assert_malformed": return ParseModuleAssertion(line, ModuleAssertion.Malformed);
            case "assert_invalid": return ParseModuleAssertion(line, ModuleAssertion.Invalid);
            case "assert_unlinkable": return ParseModuleAssertion(line, ModuleAssertion.Unlinkable);
            case "assert_malformed_custom": return ParseModuleAssertion(line, ModuleAssertion.MalformedCustom);
            case "assert_invalid_custom": return ParseModuleAssertion(line, ModuleAssertion.InvalidCustom);
            default:
                _cursor.Unexpected(head);
                return null;
        }
    }

    private string ExpectId()
    {
        var token = _cursor.Peek();
        string? id = _cursor.TryId();
        if (id is null) _cursor.Unexpected(token);
        return id!;
    }

    /// <summary>The threads proposal's <c>(thread $T (shared (module $M)*)? command*)</c>.</summary>
    private ThreadCommand ParseThread(int line)
    {
        _cursor.Next();
        string name = ExpectId();
        var shared = new List<string>();
        while (_cursor.AtForm("shared"))
        {
            _cursor.Next();
            _cursor.Next();
            while (_cursor.AtForm("module"))
            {
                _cursor.Next();
                _cursor.Next();
                shared.Add(ExpectId());
                _cursor.ExpectRParen();
            }
            _cursor.ExpectRParen();
        }
        var commands = new List<ScriptCommand>();
        while (!_cursor.Is(TokenKind.RParen)) commands.Add(ParseCommand());
        _cursor.ExpectRParen();
        return new ThreadCommand(line, name, shared, commands);
    }

    private AssertModuleCommand ParseModuleAssertion(int line, ModuleAssertion assertion)
    {
        _cursor.Next();
        var module = ParseScriptModule();
        string message = ParseMessage();
        _cursor.ExpectRParen();
        return new AssertModuleCommand(line, assertion, module, message);
    }

    private ScriptModule ParseScriptModule() => ParseScriptModuleAfterParen(_cursor.Expect(TokenKind.LParen));

    // (module definition? $M? (binary "..."* | quote "..."* | field*)), with the "(" already consumed.
    private ScriptModule ParseScriptModuleAfterParen(Token open)
    {
        int line = _cursor.LineOf(open);
        int close = _cursor.MatchOf(_cursor.Position - 1);
        _cursor.ExpectKeyword("module");
        bool definition = _cursor.TryKeyword("definition");
        string? name = _cursor.TryId();
        if (_cursor.TryKeyword("binary"))
        {
            var bytes = ParseStrings();
            _cursor.ExpectRParen();
            return new ScriptModule(line, name, ScriptModuleKind.Binary) { Bytes = bytes, IsDefinition = definition };
        }
        if (_cursor.TryKeyword("quote"))
        {
            var bytes = ParseStrings();
            _cursor.ExpectRParen();
            return new ScriptModule(line, name, ScriptModuleKind.Quote) { Bytes = bytes, IsDefinition = definition };
        }
        if (close < 0) _cursor.Fail("unexpected token", _cursor.At(int.MaxValue));
        try
        {
            var module = WatParser.ParseModuleFields(_cursor, close);
            _cursor.ExpectRParen();
            return new ScriptModule(line, name, ScriptModuleKind.Text) { Parsed = module, IsDefinition = definition };
        }
        catch (MalformedModuleException e)
        {
            _cursor.SkipTo(close + 1);
            return new ScriptModule(line, name, ScriptModuleKind.Text) { ParseError = e, IsDefinition = definition };
        }
    }

    private byte[] ParseStrings()
    {
        var bytes = new List<byte>();
        while (_cursor.Is(TokenKind.String)) bytes.AddRange(_cursor.Lexer.StringBytes(_cursor.Next()));
        return [.. bytes];
    }

    private string ParseName()
    {
        var token = _cursor.Expect(TokenKind.String);
        return _cursor.Lexer.StringText(token);
    }

    private string ParseMessage()
    {
        var token = _cursor.Expect(TokenKind.String);
        return Encoding.UTF8.GetString(_cursor.Lexer.StringBytes(token));
    }

    private ScriptAction ParseAction() => ParseActionAfterParen(_cursor.Expect(TokenKind.LParen));

    // (invoke $M? "name" const*) | (get $M? "name"), with the "(" already consumed.
    private ScriptAction ParseActionAfterParen(Token open)
    {
        int line = _cursor.LineOf(open);
        if (_cursor.TryKeyword("invoke"))
        {
            string? module = _cursor.TryId();
            string name = ParseName();
            var args = new List<ScriptValue>();
            while (!_cursor.Is(TokenKind.RParen)) args.Add(ParseArgument());
            _cursor.ExpectRParen();
            return new InvokeAction(line, module, name, args);
        }
        if (_cursor.TryKeyword("get"))
        {
            string? module = _cursor.TryId();
            string name = ParseName();
            _cursor.ExpectRParen();
            return new GetAction(line, module, name);
        }
        _cursor.Unexpected(_cursor.Peek());
        return null;
    }
}
