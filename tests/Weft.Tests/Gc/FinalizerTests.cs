using System.Runtime.CompilerServices;

namespace Weft.Tests.Gc;

/// <summary>
/// Host finalizers: queued when the .NET GC collects the object, run on the store's thread at safe points (after the
/// outermost call into wasm returns, or when the host drains the queue), never inside wasm, never losing a callback.
/// </summary>
public sealed class FinalizerTests : IDisposable
{
    private const string Module = """
        (module
          (type $box (struct (field (mut i32))))
          (import "host" "inside" (func $inside))
          (global $count (mut i32) (i32.const 0))
          (global $held (mut externref) (ref.null extern))
          (func (export "box") (param i32) (result (ref $box)) (struct.new $box (local.get 0)))
          (func (export "bump") (global.set $count (i32.add (global.get $count) (i32.const 1))))
          (func (export "count") (result i32) (global.get $count))
          (func (export "hold") (param externref) (global.set $held (local.get 0)))
          (func (export "nop"))
          (func (export "trap") unreachable)
          (func (export "call_host") (call $inside)))
        """;

    private readonly Store _store = new();
    private readonly Instance _instance;
    private Action? _inside;

    public FinalizerTests()
    {
        var linker = new Linker();
        linker.DefineFunction("host", "inside", [], [], (_, _) => _inside?.Invoke());
        _instance = GcTestModules.Instantiate(_store, Module, linker);
    }

    public void Dispose() => _store.Dispose();

    /// <summary>Collects until the store has <paramref name="count"/> callbacks queued (bounded).</summary>
    private void CollectUntilQueued(int count)
    {
        for (int i = 0; i < 50 && _store.PendingFinalizerCount < count; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.True(_store.PendingFinalizerCount >= count, $"only {_store.PendingFinalizerCount} of {count} callbacks were queued");
    }

    // Creates the object in a frame of its own, so nothing on the test's stack keeps it alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BoxWithFinalizer(Action callback)
    {
        var box = (GcStruct)_instance.Call("box", 1)!;
        _store.RegisterFinalizer(box, callback);
    }

    [Fact]
    public void CallbackRunsOnTheStoreThreadAndMayCallWasm()
    {
        int thread = -1;
        var bump = _instance.Func("bump");
        BoxWithFinalizer(() =>
        {
            thread = Environment.CurrentManagedThreadId;
            bump.Invoke();
            var allocated = (GcStruct)_instance.Call("box", 2)!;   // and allocate
            Assert.Equal(2, allocated.GetInt32(0));
        });
        CollectUntilQueued(1);
        Assert.Equal(-1, thread);                            // queued only
        Assert.Equal(0, _instance.CallI32("count"));         // the call runs first; the queue runs as it returns
        Assert.Equal(Environment.CurrentManagedThreadId, thread);
        Assert.Equal(1, _instance.CallI32("count"));
        Assert.Equal(0, _store.PendingFinalizerCount);
    }

    [Fact]
    public void QueueRunsWhenTheOutermostCallReturnsOrWhenDrained()
    {
        int ran = 0;
        BoxWithFinalizer(() => ran++);
        CollectUntilQueued(1);
        Assert.Equal(0, ran);                 // queued, not run: the GC and the finalizer thread only enqueue
        _instance.Func("nop").Invoke();
        Assert.Equal(1, ran);

        BoxWithFinalizer(() => ran++);
        CollectUntilQueued(1);
        Assert.Equal(1, _store.RunPendingFinalizers());
        Assert.Equal(2, ran);
        Assert.Equal(0, _store.RunPendingFinalizers());
    }

    [Fact]
    public void QueueAlsoRunsWhenACallTraps()
    {
        int ran = 0;
        BoxWithFinalizer(() => ran++);
        CollectUntilQueued(1);
        var trap = Assert.Throws<TrapException>(() => _instance.Func("trap").Invoke());
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Equal(1, ran);
    }

    [Fact]
    public void NeverRunsInsideWasm()
    {
        bool inWasm = false;
        int ranInside = 0;
        int ran = 0;
        BoxWithFinalizer(() =>
        {
            if (inWasm) ranInside++;
            ran++;
        });
        _inside = () =>
        {
            // Called from wasm: even with the callback queued, neither a drain nor a nested call runs it.
            inWasm = true;
            CollectUntilQueued(1);
            Assert.Equal(0, _store.RunPendingFinalizers());
            _instance.Func("nop").Invoke();
            inWasm = false;
        };
        _instance.Func("call_host").Invoke();
        Assert.Equal(1, ran);
        Assert.Equal(0, ranInside);
    }

    [Fact]
    public void AThrowingCallbackLosesNoOther()
    {
        var ran = new List<int>();
        BoxWithFinalizer(() => ran.Add(1));
        BoxWithFinalizer(() => throw new InvalidOperationException("boom"));
        BoxWithFinalizer(() => ran.Add(3));
        CollectUntilQueued(3);
        var failure = Assert.Throws<FinalizerException>(() => _store.RunPendingFinalizers());
        Assert.Equal([1, 3], ran.Order());
        Assert.Equal("boom", Assert.Single(failure.InnerExceptions).Message);

        // A failure in an automatic run does not disturb the call; the next drain reports it.
        BoxWithFinalizer(() => throw new InvalidOperationException("later"));
        BoxWithFinalizer(() => ran.Add(5));
        CollectUntilQueued(2);
        _instance.Func("nop").Invoke();
        Assert.Contains(5, ran);
        failure = Assert.Throws<FinalizerException>(() => _store.RunPendingFinalizers());
        Assert.Equal("later", Assert.Single(failure.InnerExceptions).Message);
        Assert.Equal(0, _store.RunPendingFinalizers());
    }

    [Fact]
    public void CallbacksQueuedWhileDrainingRunInTheSameDrain()
    {
        int ran = 0;
        BoxWithFinalizer(() =>
        {
            ran++;
            BoxWithFinalizer(() => ran++);
            CollectUntilQueued(1);
        });
        CollectUntilQueued(1);
        Assert.Equal(2, _store.RunPendingFinalizers());
        Assert.Equal(2, ran);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void HostObjectHeldByWasm(Action callback, int registrations)
    {
        var handle = new object();
        for (int i = 0; i < registrations; i++) _store.RegisterFinalizer(handle, i, _ => callback());
        _instance.Func("hold").Invoke(WasmValue.FromReference(handle));
    }

    [Fact]
    public void ExternrefHostObjectsLiveWhileWasmHoldsThem()
    {
        int ran = 0;
        HostObjectHeldByWasm(() => ran++, registrations: 2);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(0, _store.PendingFinalizerCount);   // the global keeps it

        _instance.Func("hold").Invoke(WasmValue.FromReference(null));
        CollectUntilQueued(2);
        Assert.Equal(2, _store.RunPendingFinalizers());  // both registrations of the object
        Assert.Equal(2, ran);
    }

    [Fact]
    public void RegistrationRejectsValuesAndDisposedStores()
    {
        Assert.Throws<ArgumentException>(() => _store.RegisterFinalizer(I31Ref.Create(1), () => { }));
        Assert.Throws<ArgumentNullException>(() => _store.RegisterFinalizer(null!, () => { }));
        var store = new Store();
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.RegisterFinalizer(new object(), () => { }));
        Assert.Throws<ObjectDisposedException>(() => store.RunPendingFinalizers());
    }

    [Fact]
    public void UnusedStoresHaveNothingQueued()
    {
        using var store = new Store();
        Assert.Equal(0, store.PendingFinalizerCount);
        Assert.Equal(0, store.RunPendingFinalizers());
    }
}
