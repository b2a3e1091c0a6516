using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Weft.Text;

/// <summary>
/// A position in a lexer's token stream with the helpers both parsers use. Every token the parser looks at is first
/// checked for being a known keyword, which is where the reference lexer reports "unknown operator".
/// </summary>
internal sealed class TokenCursor
{
    private readonly IReadOnlyList<Token> _tokens;
    private readonly int[] _matching;
    private int _checkedUpTo = -1;

    /// <summary>Creates a cursor at the start of a lexer's tokens.</summary>
    public TokenCursor(Lexer lexer)
    {
        Lexer = lexer;
        _tokens = lexer.Tokens;
        _matching = lexer.Matching;
    }

    /// <summary>The lexer (source and decoding helpers).</summary>
    public Lexer Lexer { get; }

    /// <summary>The index of the next token.</summary>
    public int Position { get; private set; }

    /// <summary>The token <paramref name="ahead"/> places after the current one (Eof at the end).</summary>
    public Token Peek(int ahead = 0)
    {
        int index = Math.Min(Position + ahead, _tokens.Count - 1);
        if (index > _checkedUpTo) CheckUpTo(index);
        return _tokens[index];
    }

    /// <summary>The token at an absolute index, unchecked (for error positions and look-back).</summary>
    public Token At(int index) => _tokens[Math.Min(index, _tokens.Count - 1)];

    /// <summary>Consumes and returns the current token (Eof stays put).</summary>
    public Token Next()
    {
        var token = Peek();
        if (token.Kind != TokenKind.Eof) Position++;
        return token;
    }

    /// <summary>Moves to an absolute token index (backwards to re-read, or forwards past a form).</summary>
    public void MoveTo(int index) => Position = Math.Min(index, _tokens.Count - 1);

    /// <summary>Moves past a form that was already reported on, without checking the tokens skipped.</summary>
    public void SkipTo(int index)
    {
        MoveTo(index);
        _checkedUpTo = Math.Max(_checkedUpTo, Position - 1);
    }

    /// <summary>The index of the <c>)</c> matching the <c>(</c> at <paramref name="index"/>, or -1.</summary>
    public int MatchOf(int index) => _matching[index];

    private void CheckUpTo(int index)
    {
        for (int i = _checkedUpTo + 1; i <= index; i++)
        {
            var token = _tokens[i];
            if (token.Kind == TokenKind.Reserved || (token.Kind == TokenKind.Keyword && !Keywords.IsKnown(Lexer.SpanOf(token))))
            {
                _checkedUpTo = i - 1;
                Fail("unknown operator " + Encoding.UTF8.GetString(Lexer.SpanOf(token)), token);
            }
        }
        _checkedUpTo = index;
    }

    /// <summary>Whether the current token is of a kind.</summary>
    public bool Is(TokenKind kind) => Peek().Kind == kind;

    /// <summary>Whether a token is a given keyword.</summary>
    public bool IsKeyword(Token token, string keyword) => token.Kind == TokenKind.Keyword && Lexer.Is(token, keyword);

    /// <summary>Whether the current token is a given keyword.</summary>
    public bool AtKeyword(string keyword) => IsKeyword(Peek(), keyword);

    /// <summary>Whether the next two tokens are <c>(</c> and the keyword.</summary>
    public bool AtForm(string keyword) => Peek().Kind == TokenKind.LParen && IsKeyword(Peek(1), keyword);

    /// <summary>The keyword text of a token (ASCII).</summary>
    public string Text(Token token) => Encoding.ASCII.GetString(Lexer.SpanOf(token));

    /// <summary>Consumes the keyword if it is next.</summary>
    public bool TryKeyword(string keyword)
    {
        if (!AtKeyword(keyword)) return false;
        Position++;
        return true;
    }

    /// <summary>Consumes <c>(</c> and the keyword if both are next.</summary>
    public bool TryForm(string keyword)
    {
        if (!AtForm(keyword)) return false;
        Position += 2;
        return true;
    }

    /// <summary>Consumes a token of a kind or fails with "unexpected token".</summary>
    public Token Expect(TokenKind kind)
    {
        var token = Peek();
        if (token.Kind != kind) Unexpected(token);
        Position++;
        return token;
    }

    /// <summary>Consumes a keyword or fails with "unexpected token".</summary>
    public void ExpectKeyword(string keyword)
    {
        if (!TryKeyword(keyword)) Unexpected(Peek());
    }

    /// <summary>Consumes <c>)</c> or fails.</summary>
    public void ExpectRParen() => Expect(TokenKind.RParen);

    /// <summary>Consumes <c>(</c> or fails.</summary>
    public void ExpectLParen() => Expect(TokenKind.LParen);

    /// <summary>Consumes an optional id token and returns its name.</summary>
    public string? TryId()
    {
        if (!Is(TokenKind.Id)) return null;
        return Lexer.IdName(Next());
    }

    /// <summary>Fails with "unexpected token" at a token.</summary>
    [DoesNotReturn]
    public void Unexpected(Token token) => Fail("unexpected token", token);

    /// <summary>Fails with a reason at a token.</summary>
    [DoesNotReturn]
    public void Fail(string reason, Token token) => Lexer.Fail(reason, token.Start);

    /// <summary>The 1-based line of a token.</summary>
    public int LineOf(Token token) => Lexer.LineColumn(token.Start).Line;
}
