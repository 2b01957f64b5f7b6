/// C = A·Bᵀ with Int8 operands and Int32 accumulation, the W8A8 product (QUANT_SPEC §7.3): `a` is `[m, k]`
/// activations, `b` is `[n, k]` weights (one row per output channel), `c` is `[m, n]`.
public enum Int8GEMM {
    /// Multiplies; exact as long as k·127·128 fits in Int32 (k ≤ 132 104), which the precondition checks.
    public static func multiply(_ a: UnsafeBufferPointer<Int8>, _ b: UnsafeBufferPointer<Int8>, m: Int, n: Int, k: Int,
                                into c: UnsafeMutableBufferPointer<Int32>, threads: Int = Parallel.coreCount) {
        precondition(a.count == m * k && b.count == n * k && c.count == m * n, "Int8GEMM: shapes do not match")
        precondition(k <= 132_104, "Int8GEMM: k = \(k) could overflow Int32 accumulators")
        guard m > 0, n > 0 else { return }
        let aBase = SharedPointer(base: UnsafeMutablePointer(mutating: a.baseAddress!))
        let bBase = SharedPointer(base: UnsafeMutablePointer(mutating: b.baseAddress!))
        let output = SharedPointer(base: c.baseAddress!)
        // Split over weight rows: each B row is loaded once per thread and reused for all m activation rows.
        Parallel.forEachChunk(n, threads: threads, minimumChunk: 4) { range in
            for j in range {
                let bRow = bBase.base + j * k
                for i in 0 ..< m {
                    output.base[i * n + j] = dot(aBase.base + i * k, bRow, k)
                }
            }
        }
    }

    /// Σ Int32(a[i])·Int32(b[i]); written as a plain widening loop that LLVM vectorises.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, _ count: Int) -> Int32 {
        var acc0: Int32 = 0
        var acc1: Int32 = 0
        var i = 0
        while i + 2 <= count {
            acc0 &+= Int32(a[i]) &* Int32(b[i])
            acc1 &+= Int32(a[i &+ 1]) &* Int32(b[i &+ 1])
            i &+= 2
        }
        if i < count { acc0 &+= Int32(a[i]) &* Int32(b[i]) }
        return acc0 &+ acc1
    }

    /// Array convenience.
    public static func multiply(_ a: [Int8], _ b: [Int8], m: Int, n: Int, k: Int, threads: Int = Parallel.coreCount) -> [Int32] {
        var c = [Int32](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in c.withUnsafeMutableBufferPointer { multiply(ab, bb, m: m, n: n, k: k, into: $0, threads: threads) } }
        }
        return c
    }
}
