/// Small SIMD helpers for the kernels.
enum VectorMath {
    /// Σ a[i]·b[i] over `count` Float32 elements, with two SIMD8 accumulators.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>()
        var acc1 = SIMD8<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        while i + 16 <= count {
            acc0 += ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var sum = horizontalSum(acc0 + acc1)
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// Four dot products of one weight row `w` with the rows `x`, `x + stride`, `x + 2·stride`, `x + 3·stride`;
    /// each weight load is reused four times (the GEMM micro-kernel).
    @inline(__always)
    static func dot4(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, stride: Int, count: Int) -> SIMD4<Float> {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        let rw = UnsafeRawPointer(w)
        let r0 = UnsafeRawPointer(x), r1 = UnsafeRawPointer(x + stride)
        let r2 = UnsafeRawPointer(x + 2 * stride), r3 = UnsafeRawPointer(x + 3 * stride)
        var i = 0
        while i + 8 <= count {
            let wv = rw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc0 += wv * r0.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc1 += wv * r1.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc2 += wv * r2.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc3 += wv * r3.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            i += 8
        }
        var result = SIMD4<Float>(horizontalSum(acc0), horizontalSum(acc1), horizontalSum(acc2), horizontalSum(acc3))
        while i < count {
            result += w[i] * SIMD4<Float>(x[i], x[stride + i], x[2 * stride + i], x[3 * stride + i])
            i += 1
        }
        return result
    }

    /// Sum of the four lanes, written out so it always inlines (the generic `sum()` may not across modules).
    @inline(__always)
    static func horizontalSum(_ v: SIMD4<Float>) -> Float { (v[0] + v[1]) + (v[2] + v[3]) }

    /// Sum of the eight lanes.
    @inline(__always)
    static func horizontalSum(_ v: SIMD8<Float>) -> Float { horizontalSum(v.lowHalf + v.highHalf) }

    /// Σ a[i].
    @inline(__always)
    static func sum(_ a: UnsafePointer<Float>, count: Int) -> Float {
        var total: Float = 0
        for i in 0 ..< count { total += a[i] }
        return total
    }
}
