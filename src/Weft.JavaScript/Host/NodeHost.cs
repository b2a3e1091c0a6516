using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Weft.JavaScript.Host;

/// <summary>
/// The OS side of the node-like environment (host.js holds the JavaScript side): files, process, clocks, hashes,
/// UTF-8, timers, and the WeakRef/FinalizationRegistry over the store's finalizer queue.
/// </summary>
internal sealed partial class NodeHost
{
    private static readonly string[] s_builtins = ["fs", "path", "url", "vm", "crypto", "tty", "os", "util", "process", "perf_hooks", "timers", "buffer", "module", "fs/promises", "path/posix"];

    private readonly JavaScriptRuntime _runtime;
    private readonly EventLoop _loop;
    private readonly Store _store;
    private readonly IReadOnlyList<string> _arguments;
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ObjectInstance _api = null!;
    private string _main = "";
    private int? _exit;
    private readonly Dictionary<int, FileStream> _files = [];
    private int _nextFd = 10;

    public NodeHost(JavaScriptRuntime runtime, Jint.Engine engine, EventLoop loop, Store store, IReadOnlyList<string> arguments, TextWriter output, TextWriter error)
    {
        _runtime = runtime;
        Engine = engine;
        _loop = loop;
        _store = store;
        _arguments = arguments;
        _out = output;
        _err = error;
    }

    public Jint.Engine Engine { get; }

    /// <summary>The exit code set through process.exitCode, or null.</summary>
    public int? ExitCode
    {
        get
        {
            if (_exit is { } e) return e;
            var v = _api.Get("exitCode").Call();
            return v.IsUndefined() || v.IsNull() ? null : (int)TypeConverter.ToNumber(v);
        }
    }

    /// <summary>The built-in module name a specifier names (with or without node:), or null.</summary>
    public static string? BuiltinName(string specifier)
    {
        string name = specifier.StartsWith("node:", StringComparison.Ordinal) ? specifier[5..] : specifier;
        return Array.IndexOf(s_builtins, name) >= 0 ? name : null;
    }

    public void SetMain(string path) => _main = path;

    public void Install()
    {
        var native = new JsObject(Engine);
        void Def(string name, Func<JsValue[], JsValue> body) =>
            native.FastSetDataProperty(name, new ClrFunction(Engine, name, (_, a) => body(a)));
        DefineIo(Def);
        DefineProcess(Def);
        DefineText(Def);
        DefineWeak(Def);
        var factory = Engine.Evaluate(Resources.Read("host.js"), "host.js");
        _api = (ObjectInstance)factory.Call(JsValue.Undefined, [native, Engine.Global]);
        var weak = Engine.Evaluate(Resources.Read("weakrefs.js"), "weakrefs.js");
        weak.Call(JsValue.Undefined, [native, Engine.Global]);
    }

    private static JsValue Arg(JsValue[] a, int i) => i < a.Length ? a[i] : JsValue.Undefined;

    public JsValue NewUint8Array(ReadOnlySpan<byte> bytes)
    {
        var array = Engine.Construct(Engine.Intrinsics.Uint8Array, [bytes.Length]);
        bytes.CopyTo(array.Get("buffer").AsArrayBuffer());
        return array;
    }

    private static byte[] BytesOf(JsValue v) => v.IsString() ? Encoding.UTF8.GetBytes(v.ToString()) : v.AsUint8Array();

    private JavaScriptException Error(string code, string message, string? path = null)
    {
        var e = Engine.Construct(Engine.Intrinsics.Error, [message]);
        e.Set("code", code);
        if (path is not null) e.Set("path", path);
        return new JavaScriptException(e);
    }

    private JavaScriptException FsError(Exception e, string syscall, string path) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Error("ENOENT", $"ENOENT: no such file or directory, {syscall} '{path}'", path),
        UnauthorizedAccessException => Error("EACCES", $"EACCES: permission denied, {syscall} '{path}'", path),
        _ => Error("EIO", $"EIO: {e.Message}, {syscall} '{path}'", path),
    };

    private T Fs<T>(string syscall, string path, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FsError(e, syscall, path);
        }
    }

    private void DefineIo(Action<string, Func<JsValue[], JsValue>> def)
    {
        def("write", a =>
        {
            var w = TypeConverter.ToNumber(a[0]) == 2 ? _err : _out;
            if (a[1].IsString()) w.Write(a[1].ToString());
            else w.Write(Encoding.UTF8.GetString(a[1].AsUint8Array()));
            w.Flush();
            return JsValue.Undefined;
        });
        def("readFile", a => { string p = a[0].ToString(); return NewUint8Array(Fs("open", p, () => File.ReadAllBytes(p))); });
        def("readFd", a =>
        {
            int fd = (int)TypeConverter.ToNumber(a[0]);
            if (fd == 0) { using var stdin = Console.OpenStandardInput(); using var ms = new MemoryStream(); stdin.CopyTo(ms); return NewUint8Array(ms.ToArray()); }
            var f = FileOf(fd);
            using var m = new MemoryStream();
            f.CopyTo(m);
            return NewUint8Array(m.ToArray());
        });
        def("writeFile", a =>
        {
            string p = a[0].ToString();
            var bytes = BytesOf(a[1]);
            Fs("open", p, () =>
            {
                using var f = new FileStream(p, TypeConverter.ToBoolean(Arg(a, 2)) ? FileMode.Append : FileMode.Create, FileAccess.Write);
                f.Write(bytes);
                return 0;
            });
            return JsValue.Undefined;
        });
        def("exists", a => { string p = a[0].ToString(); return File.Exists(p) || Directory.Exists(p); });
        def("stat", a =>
        {
            string p = a[0].ToString();
            FileSystemInfo info = Directory.Exists(p) ? new DirectoryInfo(p) : new FileInfo(p);
            if (!info.Exists) return JsValue.Undefined;
            bool link = info.LinkTarget is not null;
            if (link && TypeConverter.ToBoolean(a[1]))
            {
                var target = info.ResolveLinkTarget(true);
                if (target is null || !target.Exists) return JsValue.Undefined;
                info = target;
                link = false;
            }
            return StatObject(info, link);
        });
        def("fstat", a => StatObject(new FileInfo(FileOf((int)TypeConverter.ToNumber(a[0])).Name), false));
        def("readdir", a =>
        {
            string p = a[0].ToString();
            var names = Fs("scandir", p, () => Directory.GetFileSystemEntries(p).Select(x => (JsValue)System.IO.Path.GetFileName(x)).Order(Comparer<JsValue>.Create((x, y) => string.CompareOrdinal(x.ToString(), y.ToString()))).ToArray());
            return new JsArray(Engine, names);
        });
        def("mkdir", a =>
        {
            string p = a[0].ToString();
            bool recursive = TypeConverter.ToBoolean(a[1]);
            if (!recursive && Directory.Exists(p)) throw Error("EEXIST", $"EEXIST: file already exists, mkdir '{p}'", p);
            if (!recursive && !Directory.Exists(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(p)))) throw Error("ENOENT", $"ENOENT: no such file or directory, mkdir '{p}'", p);
            bool existed = Directory.Exists(p);
            Fs("mkdir", p, () => Directory.CreateDirectory(p));
            return recursive && !existed ? System.IO.Path.GetFullPath(p) : JsValue.Undefined;
        });
        def("rm", a =>
        {
            string p = a[0].ToString();
            if (Directory.Exists(p)) Fs("rm", p, () => { Directory.Delete(p, TypeConverter.ToBoolean(a[1])); return 0; });
            else if (File.Exists(p)) Fs("rm", p, () => { File.Delete(p); return 0; });
            else if (!TypeConverter.ToBoolean(a[2])) throw Error("ENOENT", $"ENOENT: no such file or directory, unlink '{p}'", p);
            return JsValue.Undefined;
        });
        def("rename", a => { string p = a[0].ToString(), q = a[1].ToString(); Fs("rename", p, () => { if (Directory.Exists(p)) Directory.Move(p, q); else File.Move(p, q, true); return 0; }); return JsValue.Undefined; });
        def("realpath", a =>
        {
            string p = System.IO.Path.GetFullPath(a[0].ToString());
            if (!File.Exists(p) && !Directory.Exists(p)) throw Error("ENOENT", $"ENOENT: no such file or directory, realpath '{p}'", p);
            FileSystemInfo info = Directory.Exists(p) ? new DirectoryInfo(p) : new FileInfo(p);
            return info.ResolveLinkTarget(true)?.FullName ?? p;
        });
        def("open", a =>
        {
            string p = a[0].ToString(), flags = a[1].ToString();
            var (mode, access) = flags switch
            {
                "r" or "rs" => (FileMode.Open, FileAccess.Read),
                "r+" or "rs+" => (FileMode.Open, FileAccess.ReadWrite),
                "w" => (FileMode.Create, FileAccess.Write),
                "w+" => (FileMode.Create, FileAccess.ReadWrite),
                "wx" or "xw" => (FileMode.CreateNew, FileAccess.Write),
                "a" => (FileMode.Append, FileAccess.Write),
                "a+" => (FileMode.OpenOrCreate, FileAccess.ReadWrite),
                _ => throw Error("EINVAL", $"invalid flags '{flags}'"),
            };
            var stream = Fs("open", p, () => new FileStream(p, mode, access, FileShare.ReadWrite));
            int fd = _nextFd++;
            _files[fd] = stream;
            return fd;
        });
        def("close", a => { if (_files.Remove((int)TypeConverter.ToNumber(a[0]), out var f)) f.Dispose(); return JsValue.Undefined; });
        def("readInto", a =>
        {
            var f = FileOf((int)TypeConverter.ToNumber(a[0]));
            var view = a[1];
            var bytes = new byte[(int)TypeConverter.ToNumber(view.Get("byteLength"))];
            double position = TypeConverter.ToNumber(a[2]);
            if (position >= 0) f.Position = (long)position;
            int n = f.Read(bytes);
            var backing = view.Get("buffer").AsArrayBuffer();
            bytes.AsSpan(0, n).CopyTo(backing.AsSpan((int)TypeConverter.ToNumber(view.Get("byteOffset"))));
            return n;
        });
        def("writeFd", a =>
        {
            int fd = (int)TypeConverter.ToNumber(a[0]);
            var bytes = a[1].AsUint8Array();
            if (fd is 1 or 2)
            {
                var w = fd == 2 ? _err : _out;
                w.Write(Encoding.UTF8.GetString(bytes));
                w.Flush();
                return bytes.Length;
            }
            var f = FileOf(fd);
            double position = TypeConverter.ToNumber(a[2]);
            if (position >= 0) f.Position = (long)position;
            f.Write(bytes);
            return bytes.Length;
        });
        def("isatty", a =>
        {
            int fd = (int)TypeConverter.ToNumber(a[0]);
            return fd switch
            {
                0 => !Console.IsInputRedirected,
                1 => !Console.IsOutputRedirected && ReferenceEquals(_out, Console.Out),
                2 => !Console.IsErrorRedirected && ReferenceEquals(_err, Console.Error),
                _ => false,
            };
        });
    }

    private FileStream FileOf(int fd) => _files.TryGetValue(fd, out var f) ? f : throw Error("EBADF", $"EBADF: bad file descriptor, {fd}");

    private JsValue StatObject(FileSystemInfo info, bool link) => JsObject.CreateFromEntries(Engine,
    [
        new("size", info is FileInfo fi ? fi.Length : 4096),
        new("mode", info is DirectoryInfo ? 0x41ED : 0x81A4),
        new("mtimeMs", (info.LastWriteTimeUtc - DateTime.UnixEpoch).TotalMilliseconds),
        new("isFile", info is FileInfo && !link),
        new("isDirectory", info is DirectoryInfo && !link),
        new("isSymbolicLink", link),
    ]);

    private void DefineProcess(Action<string, Func<JsValue[], JsValue>> def)
    {
        def("argv", _ =>
        {
            var list = new List<JsValue> { Environment.ProcessPath ?? "weft", _main };
            list.AddRange(_arguments.Select(x => (JsValue)x));
            return new JsArray(Engine, list.ToArray());
        });
        def("env", _ =>
        {
            var o = new JsObject(Engine);
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) o.Set((string)e.Key, (string?)e.Value ?? "");
            return o;
        });
        def("execPath", _ => Environment.ProcessPath ?? "weft");
        def("arch", _ => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.X64 => "x64",
            _ => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
        });
        def("pid", _ => Environment.ProcessId);
        def("uid", _ => 0);
        def("cpus", _ => Environment.ProcessorCount);
        def("tmpdir", _ => System.IO.Path.GetTempPath().TrimEnd('/'));
        def("memory", _ => (double)Environment.WorkingSet);
        def("weftVersion", _ => typeof(Store).Assembly.GetName().Version?.ToString() ?? "0");
        def("cwd", _ => Directory.GetCurrentDirectory());
        def("chdir", a =>
        {
            string p = a[0].ToString();
            if (!Directory.Exists(p)) throw Error("ENOENT", $"ENOENT: no such file or directory, chdir {Directory.GetCurrentDirectory()} -> '{p}'", p);
            Directory.SetCurrentDirectory(p);
            return JsValue.Undefined;
        });
        def("exit", a =>
        {
            int code = (int)TypeConverter.ToNumber(a[0]);
            _exit = code;
            _out.Flush();
            _err.Flush();
            throw new ProcessExitException(code);
        });
        def("hrtime", _ => new JsBigInt(new BigInteger((double)_clock.ElapsedTicks * 1e9 / Stopwatch.Frequency)));
        def("now", _ => _clock.Elapsed.TotalMilliseconds);
        def("cpuUsage", _ =>
        {
            var p = Process.GetCurrentProcess();
            return JsObject.CreateFromEntries(Engine,
            [
                new("user", Math.Round(p.UserProcessorTime.TotalMicroseconds)),
                new("system", Math.Round(p.PrivilegedProcessorTime.TotalMicroseconds)),
            ]);
        });
        def("setTimer", a =>
        {
            var f = a[0];
            return _loop.AddTimer(() => f.Call(), TypeConverter.ToNumber(a[1]), TypeConverter.ToBoolean(a[2]));
        });
        def("clearTimer", a => { _loop.ClearTimer((long)TypeConverter.ToNumber(a[0])); return JsValue.Undefined; });
        def("evalScript", a => Engine.Evaluate(a[0].ToString(), a[1].ToString()));
        def("builtinName", a => BuiltinName(a[0].ToString()) is { } n ? n : JsValue.Undefined);
    }

    private void DefineText(Action<string, Func<JsValue[], JsValue>> def)
    {
        def("utf8Encode", a => NewUint8Array(Encoding.UTF8.GetBytes(a[0].ToString())));
        def("utf8Decode", a =>
        {
            var bytes = a[0].AsUint8Array();
            if (TypeConverter.ToBoolean(Arg(a, 1)))
            {
                try
                {
                    return new UTF8Encoding(false, true).GetString(bytes);
                }
                catch (DecoderFallbackException)
                {
                    throw new JavaScriptException(Engine.Intrinsics.TypeError, "The encoded data was not valid for encoding utf-8");
                }
            }
            return Encoding.UTF8.GetString(bytes);
        });
        def("base64Encode", a => Convert.ToBase64String(a[0].AsUint8Array()));
        def("base64Decode", a => NewUint8Array(Convert.FromBase64String(a[0].ToString())));
        def("hashName", a => a[0].ToString().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal) switch
        {
            var n when n is "md5" or "sha1" or "sha256" or "sha384" or "sha512" => n,
            var other => throw Error("ERR_OSSL_EVP_UNSUPPORTED", "Digest method not supported: " + other),
        });
        def("hash", a =>
        {
            var data = a[1].AsUint8Array();
            byte[] h = a[0].ToString() switch
            {
                "md5" => MD5.HashData(data),
                "sha1" => SHA1.HashData(data),
                "sha384" => SHA384.HashData(data),
                "sha512" => SHA512.HashData(data),
                _ => SHA256.HashData(data),
            };
            return NewUint8Array(h);
        });
        def("randomBytes", a => NewUint8Array(RandomNumberGenerator.GetBytes((int)TypeConverter.ToNumber(a[0]))));
        def("randomUUID", _ => Guid.NewGuid().ToString());
    }

    /// <summary>Runs a CommonJS main script.</summary>
    public void RunCommonJsMain(string path) => _api.Get("runMain").Call(JsValue.Undefined, [path]);

    /// <summary>The source of the ES module view of a built-in: its object as default export, each property named.</summary>
    public string BuiltinModuleSource(string name)
    {
        var obj = _api.Get("builtins").Get(name).AsObject();
        var sb = new StringBuilder();
        sb.Append("const m = globalThis[Symbol.for('weft.builtins')][").Append(System.Text.Json.JsonSerializer.Serialize(name)).Append("];\nexport default m;\n");
        foreach (var key in obj.GetOwnPropertyKeys(Types.String))
        {
            string k = key.ToString();
            if (!System.Text.RegularExpressions.Regex.IsMatch(k, "^[A-Za-z_$][\\w$]*$") || k == "default") continue;
            sb.Append("export const ").Append(k).Append(" = m.").Append(k).Append(";\n");
        }
        EnsureBuiltinsSymbol();
        return sb.ToString();
    }

    private bool _symbolSet;

    private void EnsureBuiltinsSymbol()
    {
        if (_symbolSet) return;
        _symbolSet = true;
        var set = Engine.Evaluate("(b) => Object.defineProperty(globalThis, Symbol.for('weft.builtins'), { value: b, enumerable: false })");
        set.Call(JsValue.Undefined, [_api.Get("builtins")]);
    }

    public void WriteError(string message)
    {
        _err.WriteLine(message);
        _err.Flush();
    }

    /// <summary>Prints an uncaught exception as node does (its stack, or the thrown value).</summary>
    public void ReportUncaught(JavaScriptException e)
    {
        _out.Flush();
        string text;
        try
        {
            text = _api.Get("inspect").Call(JsValue.Undefined, [e.Error]).ToString();
        }
        catch (JavaScriptException)
        {
            text = e.Message;
        }
        if (e.Error is not ObjectInstance o || !o.HasProperty("stack")) text = "Uncaught " + text;
        string location = e.Location.SourceFile is { Length: > 0 } file ? $"{file}:{e.Location.Start.Line}\n" : "";
        _err.WriteLine(location + text);
        _err.WriteLine();
        _err.WriteLine("Node.js v26.10.0 (weft js)");
        _err.Flush();
    }

    public void Flush()
    {
        _out.Flush();
        _err.Flush();
    }
}
