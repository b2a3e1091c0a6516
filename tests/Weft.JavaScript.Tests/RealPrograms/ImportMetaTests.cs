namespace Weft.JavaScript.Tests.RealPrograms;

/// <summary>import.meta of the main module, as node gives it: a file: URL, and the path fileURLToPath makes of it.</summary>
public sealed class ImportMetaTests
{
    [Fact]
    public void Main_module_import_meta_url_is_a_file_url()
    {
        string dir = Directory.CreateTempSubdirectory("weft-js-").FullName;
        try
        {
            string file = Path.Combine(dir, "main.mjs");
            File.WriteAllText(file, "import { fileURLToPath } from 'node:url';\nconsole.log(import.meta.url);\nconsole.log(fileURLToPath(import.meta.url));\n");
            var output = new StringWriter();
            var error = new StringWriter();
            int code = Weft.Cli.JsCommand.Run(file, [], output, error);
            Assert.True(code == 0, error.ToString());
            Assert.Equal($"{new Uri(file).AbsoluteUri}\n{file}\n", output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
