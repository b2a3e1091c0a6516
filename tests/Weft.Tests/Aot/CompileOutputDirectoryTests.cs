using Weft.Tests.Cli;

namespace Weft.Tests.Aot;

/// <summary>
/// <c>weft compile -o</c> into a directory that does not exist is a usage error found before any work, with or
/// without <c>--ready-to-run</c> (crossgen2 used to fail late on it, with its own stack trace), and writes nothing.
/// </summary>
public sealed class CompileOutputDirectoryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AMissingOutputDirectoryIsAUsageErrorNamingIt(bool readyToRun)
    {
        string work = Directory.CreateTempSubdirectory("weft-compile-outdir-").FullName;
        try
        {
            string wat = Path.Combine(work, "m.wat");
            File.WriteAllText(wat, "(module (func (export \"_start\")))");
            string missing = Path.Combine(work, "no", "such");
            string dll = Path.Combine(missing, "m.dll");
            string[] args = readyToRun ? ["compile", wat, "-o", dll, "--ready-to-run"] : ["compile", wat, "-o", dll];

            var result = InProcessCli.Run(args);

            Assert.Equal(2, result.Exit);
            Assert.Contains($"the output directory {missing} does not exist", result.Err);
            Assert.DoesNotContain("crossgen2", result.Err);
            Assert.False(Directory.Exists(missing));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void AnExistingOutputDirectoryStillCompiles()
    {
        string work = Directory.CreateTempSubdirectory("weft-compile-outdir-").FullName;
        try
        {
            string wat = Path.Combine(work, "m.wat");
            File.WriteAllText(wat, "(module (func (export \"_start\")))");
            string dll = Path.Combine(work, "m.dll");

            var result = InProcessCli.Run("compile", wat, "-o", dll);

            Assert.True(result.Exit == 0, result.Err);
            Assert.True(new FileInfo(dll).Length > 0);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
