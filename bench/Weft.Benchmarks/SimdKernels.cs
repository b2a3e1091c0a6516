using System.Numerics;
using System.Runtime.Intrinsics;

namespace Weft.Benchmarks;

/// <summary>
/// Two byte-buffer kernels, each written as scalar wasm and as SIMD wasm (the loops a C compiler emits without and
/// with -msimd128), plus C# versions of the same loops as the native baseline. Memory holds buffer a at 0 and
/// buffer b at <see cref="Size"/>.
/// <list type="bullet">
/// <item><c>sad</c>: the sum of absolute differences of a and b (motion estimation, image diffing).</item>
/// <item><c>count</c>: how many bytes of a equal a needle (memchr-style byte search, counted so all of a is read).</item>
/// </list>
/// </summary>
internal static class SimdKernels
{
    /// <summary>The buffer length: 1 MiB.</summary>
    public const int Size = 1 << 20;

    /// <summary>The byte <c>count</c> looks for.</summary>
    public const int Needle = 0x2A;

    public const string Text = """
        (module
          (memory (export "memory") 32)

          ;; sum |a[i] - b[i]| for i < n, one byte at a time
          (func (export "sad_scalar") (param $a i32) (param $b i32) (param $n i32) (result i32)
            (local $i i32) (local $sum i32) (local $d i32) (local $sign i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $d (i32.sub (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                                       (i32.load8_u (i32.add (local.get $b) (local.get $i)))))
                (local.set $sign (i32.shr_s (local.get $d) (i32.const 31)))
                (local.set $sum (i32.add (local.get $sum)
                                         (i32.sub (i32.xor (local.get $d) (local.get $sign)) (local.get $sign))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (local.get $sum))

          ;; the same, 16 bytes at a time: |x - y| = (x -sat y) | (y -sat x), widened by pairwise sums into i32 lanes
          (func (export "sad_simd") (param $a i32) (param $b i32) (param $n i32) (result i32)
            (local $i i32) (local $x v128) (local $y v128) (local $acc v128)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $x (v128.load (i32.add (local.get $a) (local.get $i))))
                (local.set $y (v128.load (i32.add (local.get $b) (local.get $i))))
                (local.set $acc
                  (i32x4.add (local.get $acc)
                    (i32x4.extadd_pairwise_i16x8_u
                      (i16x8.extadd_pairwise_i8x16_u
                        (v128.or (i8x16.sub_sat_u (local.get $x) (local.get $y))
                                 (i8x16.sub_sat_u (local.get $y) (local.get $x)))))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $next)))
            (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                     (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))

          ;; how many of a[0..n) equal the needle, one byte at a time
          (func (export "count_scalar") (param $a i32) (param $needle i32) (param $n i32) (result i32)
            (local $i i32) (local $count i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $count (i32.add (local.get $count)
                  (i32.eq (i32.load8_u (i32.add (local.get $a) (local.get $i))) (local.get $needle))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (local.get $count))

          ;; the same, 16 bytes at a time: compare, take the lane mask, count its bits
          (func (export "count_simd") (param $a i32) (param $needle i32) (param $n i32) (result i32)
            (local $i i32) (local $count i32) (local $splat v128)
            (local.set $splat (i8x16.splat (local.get $needle)))
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $count (i32.add (local.get $count)
                  (i32.popcnt (i8x16.bitmask
                    (i8x16.eq (v128.load (i32.add (local.get $a) (local.get $i))) (local.get $splat))))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $next)))
            (local.get $count)))
        """;

    /// <summary>Fills both buffers with the same pseudo-random bytes for every engine.</summary>
    public static void Fill(Span<byte> memory)
    {
        var random = new Random(42);
        random.NextBytes(memory[..(2 * Size)]);
    }

    public static int SadScalar(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        // Branch-free like the wasm version (Math.Abs branches, and on random bytes half of those branches miss).
        int sum = 0;
        b = b[..a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            int sign = d >> 31;
            sum += (d ^ sign) - sign;
        }
        return sum;
    }

    public static int SadVector128(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var acc = Vector128<uint>.Zero;
        for (int i = 0; i < a.Length; i += 16)
        {
            var x = Vector128.Create(a.Slice(i, 16));
            var y = Vector128.Create(b.Slice(i, 16));
            var d = Vector128.SubtractSaturate(x, y) | Vector128.SubtractSaturate(y, x);
            var (lo, hi) = Vector128.Widen(d);
            var (l0, l1) = Vector128.Widen(lo + hi);
            acc += l0 + l1;
        }
        return (int)Vector128.Sum(acc);
    }

    public static int CountScalar(ReadOnlySpan<byte> a, byte needle)
    {
        int count = 0;
        for (int i = 0; i < a.Length; i++) count += a[i] == needle ? 1 : 0;
        return count;
    }

    public static int CountVector128(ReadOnlySpan<byte> a, byte needle)
    {
        int count = 0;
        var splat = Vector128.Create(needle);
        for (int i = 0; i < a.Length; i += 16)
        {
            count += BitOperations.PopCount(Vector128.ExtractMostSignificantBits(Vector128.Equals(Vector128.Create(a.Slice(i, 16)), splat)));
        }
        return count;
    }
}
