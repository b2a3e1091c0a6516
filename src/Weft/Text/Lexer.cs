using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Weft.Text;

/// <summary>
/// Splits text-format source (UTF-8 bytes) into tokens, following the reference lexer: maximal runs of identifier
/// characters and strings are classified as numbers, keywords, ids or reserved; comments and whitespace are dropped;
/// annotations are set aside. Errors are <see cref="MalformedModuleException"/> with line:column.
/// </summary>
internal sealed class Lexer
{
    private readonly byte[] _source;
    private readonly List<Token> _tokens = [];
    private readonly List<Annotation> _annotations = [];
    private int _pos;
    private int[]? _lineStarts;
    private int[]? _matching;

    private Lexer(byte[] source) => _source = source;

    /// <summary>The source bytes.</summary>
    public byte[] Source => _source;

    /// <summary>The tokens, ending with <see cref="TokenKind.Eof"/>.</summary>
    public IReadOnlyList<Token> Tokens => _tokens;

    /// <summary>The annotations found, in order.</summary>
    public IReadOnlyList<Annotation> Annotations => _annotations;

    /// <summary>Tokenizes source text.</summary>
    public static Lexer Tokenize(byte[] source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        return lexer;
    }

    /// <summary>Tokenizes source text given as a string.</summary>
    public static Lexer Tokenize(string source) => Tokenize(Encoding.UTF8.GetBytes(source));

    /// <summary>The source text of a token.</summary>
    public string TextOf(Token token) => Encoding.UTF8.GetString(_source, token.Start, token.Length);

    /// <summary>The source bytes of a token.</summary>
    public ReadOnlySpan<byte> SpanOf(Token token) => _source.AsSpan(token.Start, token.Length);

    /// <summary>Whether a token's text equals an ASCII string.</summary>
    public bool Is(Token token, string text)
    {
        if (token.Length != text.Length) return false;
        var span = SpanOf(token);
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] != text[i]) return false;
        }
        return true;
    }

    /// <summary>The 1-based line and column of a byte offset.</summary>
    public (int Line, int Column) LineColumn(int offset)
    {
        // Scripts are large (a megabyte, tens of thousands of commands): index the line starts once.
        if (_lineStarts is null)
        {
            var starts = new List<int> { 0 };
            for (int i = 0; i < _source.Length; i++)
            {
                if (_source[i] == '\n') starts.Add(i + 1);
            }
            _lineStarts = [.. starts];
        }
        int line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return (line + 1, offset - _lineStarts[line] + 1);
    }

    /// <summary>
    /// For each token index holding <c>(</c>, the index of its matching <c>)</c>, or -1 if it is never closed;
    /// -1 for every other token. Lets parsers skip a parenthesized form in one step.
    /// </summary>
    public int[] Matching
    {
        get
        {
            if (_matching is null)
            {
                var matching = new int[_tokens.Count];
                Array.Fill(matching, -1);
                var open = new Stack<int>();
                for (int i = 0; i < _tokens.Count; i++)
                {
                    switch (_tokens[i].Kind)
                    {
                        case TokenKind.LParen: open.Push(i); break;
                        case TokenKind.RParen when open.Count > 0: matching[open.Pop()] = i; break;
                    }
                }
                _matching = matching;
            }
            return _matching;
        }
    }

    /// <summary>Throws a malformed error located at a byte offset.</summary>
    [DoesNotReturn]
    public void Fail(string reason, int offset)
    {
        var (line, column) = LineColumn(offset);
        throw new MalformedModuleException(reason, line, column);
    }

    /// <summary>Decodes a string token (with escapes) into its bytes.</summary>
    public byte[] StringBytes(Token token) => DecodeString(_source.AsSpan(token.Start, token.Length));

    /// <summary>Decodes a string token that must be valid UTF-8 (a name).</summary>
    public string StringText(Token token)
    {
        var bytes = StringBytes(token);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) Fail("malformed UTF-8 encoding", token.Start);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The name of an id token without its <c>$</c> (a quoted id is decoded and must be UTF-8).</summary>
    public string IdName(Token token)
    {
        if (token.Length > 1 && _source[token.Start + 1] == '"')
        {
            var bytes = DecodeString(_source.AsSpan(token.Start + 1, token.Length - 1));
            if (!System.Text.Unicode.Utf8.IsValid(bytes)) Fail("malformed UTF-8 encoding", token.Start);
            return Encoding.UTF8.GetString(bytes);
        }
        return Encoding.ASCII.GetString(_source, token.Start + 1, token.Length - 1);
    }

    private static byte[] DecodeString(ReadOnlySpan<byte> quoted)
    {
        var result = new List<byte>(quoted.Length);
        for (int i = 1; i < quoted.Length - 1; i++)
        {
            byte c = quoted[i];
            if (c != '\\')
            {
                result.Add(c);
                continue;
            }
            byte e = quoted[++i];
            switch (e)
            {
                case (byte)'n': result.Add(0x0A); break;
                case (byte)'r': result.Add(0x0D); break;
                case (byte)'t': result.Add(0x09); break;
                case (byte)'\\': result.Add((byte)'\\'); break;
                case (byte)'\'': result.Add((byte)'\''); break;
                case (byte)'"': result.Add((byte)'"'); break;
                case (byte)'u':
                {
                    int j = i + 2;
                    int close = quoted[j..].IndexOf((byte)'}') + j;
                    int code = 0;
                    for (int k = j; k < close; k++)
                    {
                        if (quoted[k] != '_') code = checked(code * 16 + HexValue(quoted[k]));
                    }
                    Span<byte> utf8 = stackalloc byte[4];
                    int n = new Rune(code).EncodeToUtf8(utf8);
                    for (int k = 0; k < n; k++) result.Add(utf8[k]);
                    i = close;
                    break;
                }
                default:
                    result.Add((byte)(HexValue(e) * 16 + HexValue(quoted[++i])));
                    break;
            }
        }
        return [.. result];
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static bool IsHex(byte c) => HexValue(c) >= 0;

    /// <summary>idchar: letters, digits and the symbols <c>!#$%&amp;'*+-./:&lt;=&gt;?@\^_`|~</c>.</summary>
    private static bool IsIdChar(byte c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c switch
        {
            (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
                or (byte)'-' or (byte)'.' or (byte)'/' or (byte)':' or (byte)'<' or (byte)'=' or (byte)'>' or (byte)'?'
                or (byte)'@' or (byte)'\\' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~' => true,
            _ => false,
        };

    private void Run()
    {
        while (true)
        {
            var token = Next(inAnnotation: false, annotationStart: -1);
            if (token is null) continue;
            _tokens.Add(token.Value);
            if (token.Value.Kind == TokenKind.Eof) return;
        }
    }

    // Returns null for something skipped (an annotation at top level).
    private Token? Next(bool inAnnotation, int annotationStart)
    {
        SkipSpaceAndComments(inAnnotation, annotationStart);
        if (_pos >= _source.Length)
        {
            if (inAnnotation) Fail("unclosed annotation", annotationStart);
            return new Token(TokenKind.Eof, _pos, 0);
        }
        byte c = _source[_pos];
        if (c == '(')
        {
            if (_pos + 1 < _source.Length && _source[_pos + 1] == '@')
            {
                if (ReadAnnotation(inAnnotation)) return null;
                // Inside an annotation a "(@" without a name is a plain parenthesis followed by an atom.
                return new Token(TokenKind.LParen, _pos++, 1);
            }
            return new Token(TokenKind.LParen, _pos++, 1);
        }
        if (c == ')') return new Token(TokenKind.RParen, _pos++, 1);
        if (c == '"' || IsIdChar(c)) return ReadAtom();
        if (c is (byte)',' or (byte)';' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}')
        {
            return new Token(TokenKind.Reserved, _pos++, 1);
        }
        FailCharacter(inAnnotation);
        return null;
    }

    [DoesNotReturn]
    private void FailCharacter(bool inAnnotation)
    {
        byte c = _source[_pos];
        if (c < 0x80)
        {
            Fail(inAnnotation ? "illegal character" : (c < 0x20 || c == 0x7F ? "misplaced control character" : "illegal character"), _pos);
        }
        int length = Utf8SequenceLength(_pos);
        if (length == 0) Fail("malformed UTF-8 encoding", _pos);
        Fail(inAnnotation ? "illegal character" : "misplaced unicode character", _pos);
    }

    private int Utf8SequenceLength(int pos)
    {
        var rest = _source.AsSpan(pos, Math.Min(4, _source.Length - pos));
        return Rune.DecodeFromUtf8(rest, out _, out int consumed) == System.Buffers.OperationStatus.Done ? consumed : 0;
    }

    private void SkipSpaceAndComments(bool inAnnotation, int annotationStart)
    {
        while (_pos < _source.Length)
        {
            byte c = _source[_pos];
            if (c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                _pos++;
            }
            else if (c == ';' && _pos + 1 < _source.Length && _source[_pos + 1] == ';')
            {
                _pos += 2;
                while (_pos < _source.Length && _source[_pos] != '\n' && _source[_pos] != '\r')
                {
                    SkipUtf8Char();
                }
                if (_pos >= _source.Length && inAnnotation) Fail("unclosed annotation", annotationStart);
            }
            else if (c == '(' && _pos + 1 < _source.Length && _source[_pos + 1] == ';')
            {
                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipUtf8Char()
    {
        if (_source[_pos] < 0x80)
        {
            _pos++;
            return;
        }
        int length = Utf8SequenceLength(_pos);
        if (length == 0) Fail("malformed UTF-8 encoding", _pos);
        _pos += length;
    }

    private void SkipBlockComment()
    {
        var starts = new Stack<int>();
        starts.Push(_pos);
        _pos += 2;
        while (starts.Count > 0)
        {
            if (_pos >= _source.Length) Fail("unclosed comment", starts.Peek());
            byte c = _source[_pos];
            if (c == ';' && _pos + 1 < _source.Length && _source[_pos + 1] == ')')
            {
                starts.Pop();
                _pos += 2;
            }
            else if (c == '(' && _pos + 1 < _source.Length && _source[_pos + 1] == ';')
            {
                starts.Push(_pos);
                _pos += 2;
            }
            else
            {
                SkipUtf8Char();
            }
        }
    }

    // Returns false, consuming nothing, for a nested "(@" that starts no annotation.
    private bool ReadAnnotation(bool nested)
    {
        int start = _pos;
        // Annotations nest by recursion: refuse input nested deeper than the stack allows.
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack()) Fail("nesting too deep", start);
        _pos += 2;
        string name;
        if (_pos < _source.Length && _source[_pos] == '"')
        {
            // A string that does not lex leaves a bare "(@", as in the reference lexer.
            int end = ScanString(_pos, out _, out _);
            if (end < 0 && nested)
            {
                _pos = start;
                return false;
            }
            if (end < 0) Fail("empty annotation id", start);
            var atom = new Token(TokenKind.String, _pos, end - _pos);
            _pos = end;
            var bytes = StringBytes(atom);
            if (bytes.Length == 0) Fail("empty annotation id", start);
            if (!System.Text.Unicode.Utf8.IsValid(bytes)) Fail("malformed UTF-8 encoding", start);
            name = Encoding.UTF8.GetString(bytes);
        }
        else
        {
            int nameStart = _pos;
            while (_pos < _source.Length && IsIdChar(_source[_pos])) _pos++;
            if (_pos == nameStart && nested)
            {
                _pos = start;
                return false;
            }
            if (_pos == nameStart) Fail("empty annotation id", start);
            name = Encoding.ASCII.GetString(_source, nameStart, _pos - nameStart);
        }
        var body = new List<Token>();
        int depth = 0;
        while (true)
        {
            var token = Next(inAnnotation: true, annotationStart: start);
            if (token is null) continue; // a nested annotation is part of this one's content; drop it
            if (token.Value.Kind == TokenKind.LParen) depth++;
            if (token.Value.Kind == TokenKind.RParen)
            {
                if (depth == 0) break;
                depth--;
            }
            body.Add(token.Value);
        }
        if (!nested) _annotations.Add(new Annotation(name, _tokens.Count, start, [.. body]));
        return true;
    }

    // A maximal run of idchars and strings (the reference's "reserved" class), then classified. A string that does
    // not lex ends the run before it, so its error is reported only where nothing else matches, as with the
    // reference's longest-match rules.
    private Token ReadAtom()
    {
        int start = _pos;
        bool onlyString = _source[_pos] == '"';
        while (_pos < _source.Length)
        {
            byte c = _source[_pos];
            if (c == '"')
            {
                int end = ScanString(_pos, out string? error, out int errorAt);
                if (end < 0)
                {
                    if (_pos == start) Fail(error!, errorAt);
                    break;
                }
                _pos = end;
            }
            else if (IsIdChar(c))
            {
                _pos++;
            }
            else
            {
                break;
            }
            if (_pos < _source.Length && (_source[_pos] == '"' || IsIdChar(_source[_pos]))) onlyString = false;
        }
        var text = _source.AsSpan(start, _pos - start);
        if (text.Length == 1 && text[0] == '$') Fail("empty identifier", start);
        var token = new Token(Classify(text, onlyString), start, _pos - start);
        if (token.Kind == TokenKind.Id && text[1] == '"' && text.Length == 3) Fail("empty identifier", start);
        return token;
    }

    /// <summary>
    /// Scans a string literal starting at the quote at <paramref name="pos"/>. Returns the offset after the closing
    /// quote, or -1 with the reason and offset of the first lexical error.
    /// </summary>
    private int ScanString(int pos, out string? error, out int errorAt)
    {
        int start = pos;
        pos++;
        error = null;
        errorAt = start;
        while (true)
        {
            if (pos >= _source.Length) return Error("unclosed string literal", start, out error, out errorAt);
            byte c = _source[pos];
            if (c == '"') return pos + 1;
            if (c == '\n' || c == '\r') return Error("unclosed string literal", start, out error, out errorAt);
            if (c < 0x20 || c == 0x7F) return Error("illegal control character in string literal", pos, out error, out errorAt);
            if (c == '\\')
            {
                if (pos + 1 >= _source.Length) return Error("unclosed string literal", start, out error, out errorAt);
                byte e = _source[pos + 1];
                if (e is (byte)'n' or (byte)'r' or (byte)'t' or (byte)'\\' or (byte)'\'' or (byte)'"')
                {
                    pos += 2;
                }
                else if (e == 'u')
                {
                    int p = pos + 2;
                    if (p >= _source.Length || _source[p] != '{') return Error("illegal escape", pos, out error, out errorAt);
                    p++;
                    int digits = 0;
                    long code = 0;
                    while (p < _source.Length && (IsHex(_source[p]) || (_source[p] == '_' && digits > 0)))
                    {
                        if (_source[p] != '_')
                        {
                            code = Math.Min(code * 16 + HexValue(_source[p]), 0x7FFFFFFF);
                            digits++;
                        }
                        p++;
                    }
                    if (digits == 0 || p >= _source.Length || _source[p] != '}') return Error("illegal escape", pos, out error, out errorAt);
                    if (code >= 0x110000 || (code >= 0xD800 && code < 0xE000)) return Error("illegal escape", pos, out error, out errorAt);
                    pos = p + 1;
                }
                else if (IsHex(e) && pos + 2 < _source.Length && IsHex(_source[pos + 2]))
                {
                    pos += 3;
                }
                else
                {
                    return Error("illegal escape", pos, out error, out errorAt);
                }
            }
            else if (c < 0x80)
            {
                pos++;
            }
            else
            {
                int length = Utf8SequenceLength(pos);
                if (length == 0) return Error("malformed UTF-8 encoding", pos, out error, out errorAt);
                pos += length;
            }
        }

        static int Error(string reason, int at, out string? error, out int errorAt)
        {
            error = reason;
            errorAt = at;
            return -1;
        }
    }

    private TokenKind Classify(ReadOnlySpan<byte> text, bool onlyString)
    {
        if (onlyString) return TokenKind.String;
        if (text.IndexOf((byte)'"') >= 0)
        {
            // $"quoted id" is the only valid form mixing a string into an atom.
            if (text.Length >= 3 && text[0] == '$' && text[1] == '"' && text[^1] == '"' && text[1..].IndexOf((byte)'"') == 0
                && text[2..^1].IndexOf((byte)'"') < 0)
            {
                return TokenKind.Id;
            }
            return TokenKind.Reserved;
        }
        if (text[0] == '$') return text.Length > 1 ? TokenKind.Id : TokenKind.Reserved;
        if (IsNat(text)) return TokenKind.Nat;
        if ((text[0] == '+' || text[0] == '-') && IsNat(text[1..])) return TokenKind.Int;
        if (IsFloat(text)) return TokenKind.Float;
        if (text[0] >= 'a' && text[0] <= 'z') return TokenKind.Keyword;
        return TokenKind.Reserved;
    }

    /// <summary>num | 0x hexnum, with single underscores between digits.</summary>
    internal static bool IsNat(ReadOnlySpan<byte> text)
    {
        if (text.Length > 2 && text[0] == '0' && text[1] == 'x') return IsDigits(text[2..], hex: true);
        return IsDigits(text, hex: false);
    }

    private static bool IsDigits(ReadOnlySpan<byte> text, bool hex)
    {
        if (text.Length == 0) return false;
        bool lastWasDigit = false;
        foreach (byte c in text)
        {
            if (c == '_')
            {
                if (!lastWasDigit) return false;
                lastWasDigit = false;
            }
            else if (hex ? IsHex(c) : c >= '0' && c <= '9')
            {
                lastWasDigit = true;
            }
            else
            {
                return false;
            }
        }
        return lastWasDigit;
    }

    /// <summary>The float grammar of spec 6.3.2: decimal and hex forms, inf, nan, nan:0x...</summary>
    internal static bool IsFloat(ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && (text[0] == '+' || text[0] == '-')) text = text[1..];
        if (text.SequenceEqual("inf"u8) || text.SequenceEqual("nan"u8)) return true;
        if (text.StartsWith("nan:0x"u8)) return IsDigits(text[6..], hex: true);
        bool hex = text.Length > 2 && text[0] == '0' && text[1] == 'x';
        if (hex) text = text[2..];
        int i = DigitRun(text, hex);
        if (i == 0) return false;
        var rest = text[i..];
        bool dot = false;
        if (rest.Length > 0 && rest[0] == '.')
        {
            dot = true;
            rest = rest[1..];
            rest = rest[DigitRun(rest, hex)..];
        }
        if (rest.Length == 0) return dot;
        byte e = rest[0];
        if (hex ? (e == 'p' || e == 'P') : (e == 'e' || e == 'E'))
        {
            rest = rest[1..];
            if (rest.Length > 0 && (rest[0] == '+' || rest[0] == '-')) rest = rest[1..];
            return IsDigits(rest, hex: false);
        }
        return false;
    }

    // The length of the longest prefix made of digits with single underscores between them (linear, so that a
    // huge adversarial token costs no more than its length).
    private static int DigitRun(ReadOnlySpan<byte> text, bool hex)
    {
        if (text.Length == 0 || !IsDigit(text[0], hex)) return 0;
        int i = 1;
        while (i < text.Length)
        {
            if (IsDigit(text[i], hex)) i++;
            else if (text[i] == '_' && i + 1 < text.Length && IsDigit(text[i + 1], hex)) i += 2;
            else break;
        }
        return i;
    }

    private static bool IsDigit(byte c, bool hex) => hex ? IsHex(c) : c >= '0' && c <= '9';
}
