#if arch(x86_64)
/// Int8 GEMV for CPUs with AVX2 and FMA (see `AVX2Int4GEMV` for how it is selected).
///
/// Each 8-byte load is widened to 8 Int32 lanes (`vpmovsxbd` for signed codes, `vpmovzxbd` for unsigned and
/// asymmetric ones), converted exactly with `vcvtdq2ps` and multiplied into the accumulators with FMAs against x
/// in its natural order. Two rows share every load of x.
public enum AVX2Int8GEMV {
    /// y[r] for r in `rows`; `segmentLength` must be a multiple of 16.
    public static func run(_ a: PackedGEMVArguments, rows: Range<Int>, signed: Bool) {
        a.forEachRowPair(rows) { r0, r1 in signed ? rowPair(a, r0, r1, code: Int8.self) : rowPair(a, r0, r1, code: UInt8.self) }
    }

    /// y[r0] and y[r1] with codes read as `Code`; segments are scaled in vector registers as in `AVX2Int4GEMV`.
    @inline(__always)
    static func rowPair<Code: AVX2WidenableCode>(_ a: PackedGEMVArguments, _ r0: Int, _ r1: Int, code: Code.Type) -> (Float, Float) {
        let p0 = UnsafeRawPointer(a.codes + r0 &* a.bytesPerRow), p1 = UnsafeRawPointer(a.codes + r1 &* a.bytesPerRow)
        let xr = a.x
        var totals = RowPairTotals()
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
            totals.add(a, rows: r0, r1, segment: g, a0 + b0, a1 + b1)
        }
        return totals.outputs
    }
}
#endif
