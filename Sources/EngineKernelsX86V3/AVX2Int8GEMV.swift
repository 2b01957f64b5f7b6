#if arch(x86_64)
/// Int8 GEMV for CPUs with AVX2 and FMA (see `AVX2Int4GEMV` for how it is selected).
///
/// Each 8-byte load is widened to 8 Int32 lanes (`vpmovsxbd` for signed codes, `vpmovzxbd` for unsigned and
/// asymmetric ones), converted exactly with `vcvtdq2ps` and multiplied into the accumulators with FMAs against x
/// in its natural order. Two rows share every load of x.
public enum AVX2Int8GEMV {
    /// y[r] for r in `rows`; `segmentLength` must be a multiple of 16. `a.offset` must be 0.
    public static func run(_ a: PackedGEMVArguments, rows: Range<Int>, signed: Bool) {
        var r = rows.lowerBound
        while r < rows.upperBound {
            let r1 = Swift.min(r &+ 1, rows.upperBound &- 1)
            let c0 = a.codes + r &* a.bytesPerRow
            let c1 = a.codes + r1 &* a.bytesPerRow
            var total0: Float = 0
            var total1: Float = 0
            for g in 0 ..< a.segmentsPerRow {
                let start = g &* a.segmentLength
                let (d0, d1) = signed
                    ? signedDot(c0 + start, c1 + start, a.x + start, count: a.segmentLength)
                    : unsignedDot(c0 + start, c1 + start, a.x + start, count: a.segmentLength)
                total0 += a.scaled(row: r, segment: g, dot: d0)
                total1 += a.scaled(row: r1, segment: g, dot: d1)
            }
            a.output[r] = total0
            a.output[r1] = total1
            r &+= 2
        }
    }

    /// (Σ q₀·x, Σ q₁·x) for two rows of Int8 codes; `count` is a multiple of 16.
    @inline(never)
    static func signedDot(_ c0: UnsafePointer<UInt8>, _ c1: UnsafePointer<UInt8>, _ x: UnsafePointer<Float>,
                          count: Int) -> (Float, Float) {
        var a0 = SIMD8<Float>(), b0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b1 = SIMD8<Float>()
        let p0 = UnsafeRawPointer(c0), p1 = UnsafeRawPointer(c1), xr = UnsafeRawPointer(x)
        var i = 0
        while i < count {
            let xa = xr.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            let xb = xr.loadUnaligned(fromByteOffset: i &* 4 &+ 32, as: SIMD8<Float>.self)
            a0 = a0.addingProduct(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p0.loadUnaligned(fromByteOffset: i, as: SIMD8<Int8>.self))), xa)
            b0 = b0.addingProduct(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p0.loadUnaligned(fromByteOffset: i &+ 8, as: SIMD8<Int8>.self))), xb)
            a1 = a1.addingProduct(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p1.loadUnaligned(fromByteOffset: i, as: SIMD8<Int8>.self))), xa)
            b1 = b1.addingProduct(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p1.loadUnaligned(fromByteOffset: i &+ 8, as: SIMD8<Int8>.self))), xb)
            i &+= 16
        }
        return (AVX2Sum.horizontal(a0 + b0), AVX2Sum.horizontal(a1 + b1))
    }

    /// As `signedDot` for codes read as UInt8.
    @inline(never)
    static func unsignedDot(_ c0: UnsafePointer<UInt8>, _ c1: UnsafePointer<UInt8>, _ x: UnsafePointer<Float>,
                            count: Int) -> (Float, Float) {
        var a0 = SIMD8<Float>(), b0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b1 = SIMD8<Float>()
        let p0 = UnsafeRawPointer(c0), p1 = UnsafeRawPointer(c1), xr = UnsafeRawPointer(x)
        var i = 0
        while i < count {
            let xa = xr.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            let xb = xr.loadUnaligned(fromByteOffset: i &* 4 &+ 32, as: SIMD8<Float>.self)
            a0 = a0.addingProduct(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p0.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self))), xa)
            b0 = b0.addingProduct(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p0.loadUnaligned(fromByteOffset: i &+ 8, as: SIMD8<UInt8>.self))), xb)
            a1 = a1.addingProduct(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p1.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self))), xa)
            b1 = b1.addingProduct(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p1.loadUnaligned(fromByteOffset: i &+ 8, as: SIMD8<UInt8>.self))), xb)
            i &+= 16
        }
        return (AVX2Sum.horizontal(a0 + b0), AVX2Sum.horizontal(a1 + b1))
    }
}
#endif
