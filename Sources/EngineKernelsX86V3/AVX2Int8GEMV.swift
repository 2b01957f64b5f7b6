#if arch(x86_64)
/// Int8 GEMV for CPUs with AVX2 and FMA (see `AVX2Int4GEMV` for how it is selected).
///
/// Each 8-byte load is widened to 8 Int32 lanes (`vpmovsxbd` for signed codes, `vpmovzxbd` for unsigned and
/// asymmetric ones), converted exactly with `vcvtdq2ps` and multiplied into the accumulators with FMAs against x
/// in its natural order. Two rows share every load of x.
public enum AVX2Int8GEMV {
    /// y[r] for r in `rows`; `segmentLength` must be a multiple of 16.
    public static func run(_ a: PackedGEMVArguments, rows: Range<Int>, signed: Bool) {
        var r = rows.lowerBound
        while r < rows.upperBound {
            // An odd last row is computed twice (as both rows of the pair) and stored once.
            let r1 = Swift.min(r &+ 1, rows.upperBound &- 1)
            let (y0, y1) = signed ? rowPair(a, r, r1, code: Int8.self) : rowPair(a, r, r1, code: UInt8.self)
            a.output[r] = y0
            a.output[r1] = y1
            r &+= 2
        }
    }

    /// y[r0] and y[r1] with codes read as `Code`; segments are scaled in vector registers as in `AVX2Int4GEMV`.
    @inline(__always)
    static func rowPair<Code: AVX2WidenableCode>(_ a: PackedGEMVArguments, _ r0: Int, _ r1: Int, code: Code.Type) -> (Float, Float) {
        let p0 = UnsafeRawPointer(a.codes + r0 &* a.bytesPerRow), p1 = UnsafeRawPointer(a.codes + r1 &* a.bytesPerRow)
        let xr = UnsafeRawPointer(a.x)
        var total0 = SIMD8<Float>(), total1 = SIMD8<Float>()
        var shifted0: Float = 0, shifted1: Float = 0
        var i = 0
        for g in 0 ..< a.segmentsPerRow {
            var a0 = SIMD8<Float>(), b0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b1 = SIMD8<Float>()
            let end = i &+ a.segmentLength
            while i < end {
                let xa = xr.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                let xb = xr.loadUnaligned(fromByteOffset: i &* 4 &+ 32, as: SIMD8<Float>.self)
                a0 = a0.addingProduct(Code.floats(p0, i), xa)
                b0 = b0.addingProduct(Code.floats(p0, i &+ 8), xb)
                a1 = a1.addingProduct(Code.floats(p1, i), xa)
                b1 = b1.addingProduct(Code.floats(p1, i &+ 8), xb)
                i &+= 16
            }
            let (s0, c0) = a.scaleAndShift(row: r0, segment: g)
            let (s1, c1) = a.scaleAndShift(row: r1, segment: g)
            total0 = total0.addingProduct(SIMD8(repeating: s0), a0 + b0)
            total1 = total1.addingProduct(SIMD8(repeating: s1), a1 + b1)
            shifted0 += s0 * c0 * a.segmentSums[g]
            shifted1 += s1 * c1 * a.segmentSums[g]
        }
        return (AVX2Lanes.horizontalSum(total0) - shifted0, AVX2Lanes.horizontalSum(total1) - shifted1)
    }
}

/// An 8-bit code type whose 8 consecutive codes become 8 exact Float32 lanes.
protocol AVX2WidenableCode {
    static func floats(_ codes: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float>
}

extension Int8: AVX2WidenableCode {
    @inline(__always)
    static func floats(_ codes: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
        AVX2Lanes.float(AVX2Lanes.widen(codes.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self)))
    }
}

extension UInt8: AVX2WidenableCode {
    @inline(__always)
    static func floats(_ codes: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
        AVX2Lanes.float(AVX2Lanes.widen(codes.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt8>.self)))
    }
}
#endif
