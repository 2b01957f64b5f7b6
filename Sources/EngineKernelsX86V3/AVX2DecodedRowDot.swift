#if arch(x86_64)
/// The GEMM micro-kernel for CPUs with AVX2 and FMA: one decoded Float32 weight row against four activation rows,
/// each 8-float load of the weights feeding four FMAs.
public enum AVX2DecodedRowDot {
    /// (w·x₀, w·x₁, w·x₂, w·x₃) over `count` elements, where xᵢ starts at `x + i·stride`.
    public static func dot4(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, stride: Int, count: Int) -> SIMD4<Float> {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        let rw = UnsafeRawPointer(w)
        let r0 = UnsafeRawPointer(x), r1 = UnsafeRawPointer(x + stride)
        let r2 = UnsafeRawPointer(x + 2 &* stride), r3 = UnsafeRawPointer(x + 3 &* stride)
        var i = 0
        while i &+ 8 <= count {
            let wv = rw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            acc0 = acc0.addingProduct(wv, r0.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self))
            acc1 = acc1.addingProduct(wv, r1.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self))
            acc2 = acc2.addingProduct(wv, r2.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self))
            acc3 = acc3.addingProduct(wv, r3.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self))
            i &+= 8
        }
        var result = SIMD4<Float>(AVX2Lanes.horizontalSum(acc0), AVX2Lanes.horizontalSum(acc1),
                                  AVX2Lanes.horizontalSum(acc2), AVX2Lanes.horizontalSum(acc3))
        while i < count {
            result += w[i] * SIMD4<Float>(x[i], x[stride &+ i], x[2 &* stride &+ i], x[3 &* stride &+ i])
            i &+= 1
        }
        return result
    }
}
#endif
