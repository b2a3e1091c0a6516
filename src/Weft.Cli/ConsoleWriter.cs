using System.Text;

namespace Weft.Cli;

/// <summary>
/// Console.Out or Console.Error, made on first write. Reading <see cref="Console.OutputEncoding"/> and creating the
/// console's writers cost an empty module's <c>weft run</c>, which writes nothing through them (the program's output
/// goes to the raw standard streams), about a tenth of its start-up (RATIONALE.md, "Start-up: an empty module's
/// `weft run`, third look"). Commands that print pay it at their first write, as before.
/// </summary>
internal sealed class ConsoleWriter(bool error) : TextWriter
{
    private static readonly Lock s_encodingLock = new();
    private static bool s_encodingSet;
    private TextWriter? _writer;

    /// <summary>Whether this stands for standard error (else standard output).</summary>
    public bool IsError { get; } = error;

    private TextWriter Writer => _writer ??= Open();

    private TextWriter Open()
    {
        lock (s_encodingLock)
        {
            // Names in modules are UTF-8; under a C or POSIX locale .NET would print them as '?'. (Set before
            // Console.Out is first used: setting the encoding replaces the writer.)
            if (!s_encodingSet)
            {
                if (Console.OutputEncoding.CodePage != 65001) Console.OutputEncoding = new UTF8Encoding(false);
                s_encodingSet = true;
            }
        }
        return IsError ? Console.Error : Console.Out;
    }

    public override Encoding Encoding => Writer.Encoding;

    public override IFormatProvider FormatProvider => Writer.FormatProvider;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => Writer.NewLine;
        set => Writer.NewLine = value;
    }

    public override void Write(char value) => Writer.Write(value);

    public override void Write(char[] buffer, int index, int count) => Writer.Write(buffer, index, count);

    public override void Write(ReadOnlySpan<char> buffer) => Writer.Write(buffer);

    public override void Write(string? value) => Writer.Write(value);

    public override void WriteLine() => Writer.WriteLine();

    public override void WriteLine(string? value) => Writer.WriteLine(value);

    public override void WriteLine(ReadOnlySpan<char> buffer) => Writer.WriteLine(buffer);

    // Nothing written, nothing to flush: flushing must not create the writer.
    public override void Flush() => _writer?.Flush();
}
