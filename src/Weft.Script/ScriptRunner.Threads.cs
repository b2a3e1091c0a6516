namespace Weft.Script;

// The threads proposal's script commands. A (thread $T ...) runs its commands on a .NET thread of its own (with the
// same big stack as a script) in a fresh session, so a fresh store and registry, that sees only the instances named
// in (shared (module $M)); (wait $T) joins it and appends its commands' results to the script's, in order.
internal sealed partial class ScriptRunner
{
    private const int ThreadStackSize = 64 * 1024 * 1024;

    // A thread that has not been waited for yet, and the results it produced when it finished.
    private sealed class ScriptThread
    {
        public required Thread Thread;
        public List<WastCommandResult> Results = [];
    }

    private readonly Dictionary<string, ScriptThread> _threads = new(StringComparer.Ordinal);

    private void RunThread(ThreadCommand command)
    {
        if (_threads.ContainsKey(command.Name))
        {
            Fail(command, reason: $"thread {command.Name} is already running");
            return;
        }
        var shared = new List<(string Name, InstanceSlot Slot)>();
        foreach (string name in command.SharedModules)
        {
            if (!_instances.TryGetValue(name, out var slot))
            {
                Fail(command, reason: $"unknown module {name}");
                return;
            }
            shared.Add((name, slot));
        }
        var script = new WastScript(_script.Path, command.Commands);
        var state = new ScriptThread { Thread = null! };
        state.Thread = new Thread(() =>
        {
            using var session = _executor.StartSession(_script.Path);
            var child = new ScriptRunner(script, _loader, session, _executor);
            foreach (var (name, slot) in shared)
            {
                child._instances[name] = slot;
                child._latestInstance = slot;
            }
            try
            {
                foreach (var inner in command.Commands) child.RunCommand(inner);
            }
            finally
            {
                child.JoinAbandonedThreads();
                state.Results = child._results;
            }
        }, ThreadStackSize) { IsBackground = true, Name = $"wast thread {command.Name}" };
        _threads[command.Name] = state;
        state.Thread.Start();
        Pass(command);
    }

    private void RunWait(WaitCommand command)
    {
        if (!_threads.Remove(command.Thread, out var state))
        {
            Fail(command, reason: $"unknown thread {command.Thread}");
            return;
        }
        state.Thread.Join();
        _results.AddRange(state.Results);
        Pass(command);
    }

    /// <summary>A script that ends without waiting for a thread still waits for it (its session must not outlive the script's).</summary>
    private void JoinAbandonedThreads()
    {
        foreach (var (_, state) in _threads)
        {
            state.Thread.Join();
            _results.AddRange(state.Results);
        }
        _threads.Clear();
    }
}
