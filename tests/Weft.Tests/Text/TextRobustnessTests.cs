using Weft.Tests.Conformance;
using System.Diagnostics;
using Weft.Script;
using Weft.Text;

namespace Weft.Tests.Text;

/// <summary>Mutated and truncated suite texts must only ever produce <see cref="MalformedModuleException"/>.</summary>
public class TextRobustnessTests
{
    private static readonly byte[] s_noise = [.. "()\"$;@\\ 0x1.p-_azi32.const(module(func(@custom\"\u00e9\u0000\n"u8, 0xFF, 0x80, 0xC3];

    [SpecSuiteFact]
    public void MutatedTextsFailOnlyWithMalformed()
    {
        var scripts = TextSuite.Scripts().Where(s => new FileInfo(TextSuite.FullPath(s)).Length < 60_000).ToArray();
        var random = new Random(20240611);
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < 4000 && clock.Elapsed < TimeSpan.FromSeconds(20); round++)
        {
            var source = File.ReadAllBytes(TextSuite.FullPath(scripts[random.Next(scripts.Length)]));
            int start = random.Next(source.Length);
            var text = source.AsSpan(start, Math.Min(source.Length - start, random.Next(1, 3000))).ToArray();
            int edits = random.Next(1, 6);
            for (int e = 0; e < edits && text.Length > 0; e++)
            {
                int at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text[at] = s_noise[random.Next(s_noise.Length)]; break;
                    case 1: text = [.. text.AsSpan(0, at), .. text.AsSpan(Math.Min(text.Length, at + random.Next(1, 20)))]; break;
                    default: text = [.. text.AsSpan(0, at), s_noise[random.Next(s_noise.Length)], .. text.AsSpan(at)]; break;
                }
            }
            Check(() => WatParser.ParseModule(text), text);
            Check(() => WastParser.Parse(text, "fuzz"), text);
        }
    }

    private static void Check(Action parse, byte[] text)
    {
        try
        {
            parse();
        }
        catch (MalformedModuleException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name}: {e.Message}\non input:\n{System.Text.Encoding.UTF8.GetString(text)}\n{e.StackTrace}");
        }
    }
}

public class TextScalingTests
{
    [Fact]
    public void HugeTokensCostTimeLinearInTheirLength()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string digits = "(func (drop (f64.const 1" + string.Concat(Enumerable.Repeat("__1", 300_000)) + ")))";
        Assert.Throws<MalformedModuleException>(() => WatParser.ParseModule(System.Text.Encoding.ASCII.GetBytes(digits)));
        string many = "(func " + string.Concat(Enumerable.Repeat("(drop (i32.const 1)) ", 200_000)) + ")";
        Assert.Equal(200_000 * 3 + 1, WatParser.ParseModule(System.Text.Encoding.ASCII.GetBytes(many)).Codes[0].Code.Length);
        // Linear work here takes well under a second; a quadratic scan of these inputs would take many minutes.
        // The bound is wide so that a loaded machine does not fail it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }
}
