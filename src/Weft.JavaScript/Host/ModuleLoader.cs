using Jint;
using Jint.Native;
using Jint.Runtime.Modules;

namespace Weft.JavaScript.Host;

/// <summary>
/// ES module resolution as node does it for what loaders use: relative and absolute paths and <c>file:</c> URLs,
/// and the built-in modules by name or <c>node:</c> name (served as generated modules whose default export is the
/// same object <c>require</c> returns, plus one named export per property).
/// </summary>
internal sealed class ModuleLoader(Func<NodeHost> host) : Jint.Runtime.Modules.ModuleLoader
{
    public NodeHost? Host { get; set; }

    private NodeHost TheHost => Host ?? host();

    public override ResolvedSpecifier Resolve(string? referencingModuleLocation, ModuleRequest moduleRequest)
    {
        string specifier = moduleRequest.Specifier;
        if (NodeHost.BuiltinName(specifier) is { } builtin)
            return new ResolvedSpecifier(moduleRequest, "node:" + builtin, null, SpecifierType.Bare);
        string path;
        if (specifier.StartsWith("file:", StringComparison.Ordinal)) path = new Uri(specifier).LocalPath;
        else if (System.IO.Path.IsPathRooted(specifier)) path = specifier;
        else if (specifier.StartsWith("./", StringComparison.Ordinal) || specifier.StartsWith("../", StringComparison.Ordinal))
        {
            string baseDir = referencingModuleLocation is null ? Directory.GetCurrentDirectory()
                : System.IO.Path.GetDirectoryName(ToPath(referencingModuleLocation)) ?? Directory.GetCurrentDirectory();
            path = System.IO.Path.Combine(baseDir, specifier);
        }
        else throw new Jint.Runtime.JavaScriptException(TheHost.Engine.Intrinsics.Error, $"Cannot find package '{specifier}' (only relative paths, file: URLs and node's built-in modules are resolved)");
        path = System.IO.Path.GetFullPath(path);
        var uri = new Uri(path);
        return new ResolvedSpecifier(moduleRequest, uri.AbsoluteUri, uri, SpecifierType.RelativeOrAbsolute);
    }

    private static string ToPath(string location) =>
        location.StartsWith("file:", StringComparison.Ordinal) ? new Uri(location).LocalPath : location;

    protected override string LoadModuleContents(Jint.Engine engine, ResolvedSpecifier resolved)
    {
        if (resolved.Type == SpecifierType.Bare) return TheHost.BuiltinModuleSource(resolved.Key["node:".Length..]);
        string path = resolved.Uri!.LocalPath;
        if (!File.Exists(path)) throw new Jint.Runtime.JavaScriptException(engine.Intrinsics.Error, $"Cannot find module '{path}'");
        return File.ReadAllText(path);
    }

    /// <summary>Whether node would load the file as an ES module: .mjs, or .js whose source has import/export statements.</summary>
    public static bool IsEsModule(string path)
    {
        if (path.EndsWith(".mjs", StringComparison.Ordinal)) return true;
        if (path.EndsWith(".cjs", StringComparison.Ordinal)) return false;
        string text = File.Exists(path) ? File.ReadAllText(path) : "";
        // node 22+ detects module syntax in ambiguous .js files; a top-level import/export line is the signal.
        return System.Text.RegularExpressions.Regex.IsMatch(text, @"^\s*(import\s+[\w{*'""]|export\s+(default|const|let|var|function|class|async|\{|\*))", System.Text.RegularExpressions.RegexOptions.Multiline);
    }
}

/// <summary>Jint host that gives modules <c>import.meta.url</c> (and <c>filename</c>/<c>dirname</c> as node 20.11+).</summary>
internal sealed class RuntimeHost : Jint.Runtime.Host
{
    public override List<KeyValuePair<JsValue, JsValue>> GetImportMetaProperties(Module module)
    {
        var list = new List<KeyValuePair<JsValue, JsValue>>();
        string location = module.Location;
        // Jint gives some modules (the main one among them) a plain path as location; import.meta.url is a URL.
        if (System.IO.Path.IsPathRooted(location) && !location.StartsWith("file:", StringComparison.Ordinal))
            location = new Uri(location).AbsoluteUri;
        list.Add(new("url", location));
        if (location.StartsWith("file:", StringComparison.Ordinal))
        {
            string path = new Uri(location).LocalPath;
            list.Add(new("filename", path));
            list.Add(new("dirname", System.IO.Path.GetDirectoryName(path) ?? "/"));
        }
        return list;
    }
}
