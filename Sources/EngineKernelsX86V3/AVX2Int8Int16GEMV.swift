#if arch(x86_64)
/// Int8 GEMV against activations already quantized to Int16 codes (one Float32 scale per block), for CPUs with
/// AVX2 (see `AVX2Int4GEMV` for how it is selected).
///
/// Each 16-byte load of codes is widened to 16 Int16 lanes (`vpmovsxbw` for signed codes, `vpmovzxbw` for unsigned
/// and asymmetric ones) and `vpmaddwd` multiplies them by 16 activation codes, adding neighbouring pairs into
/// Int32. The Int32 sums are exact (|u| ≤ 255, |q| ≤ 32 767, at most 2·blockLength/16 products per lane); the
/// conversion of a block's sum to Float32 rounds only once it passes 2^24.
public enum AVX2Int8Int16GEMV {
    /// y[r] for r in `rows`; `activationBlockLength` must be a multiple of 16 that divides `segmentLength`, and at
    /// most 4 096 (so the Int32 lane sums cannot overflow).
    public static func run(_ a: PackedGEMVArguments, rows: Range<Int>, signed: Bool) {
        precondition(a.activationBlockLength > 0 && a.activationBlockLength % 16 == 0 && a.activationBlockLength <= 4096
                     && a.segmentLength % a.activationBlockLength == 0 && a.activationScales != nil,
                     "AVX2Int8Int16GEMV: activation blocks must be multiples of 16 that divide the scale segment")
        a.forEachRowPair(rows) { r0, r1 in
            signed ? rowPair(a, r0, r1, code: Int8.self) : rowPair(a, r0, r1, code: UInt8.self)
        }
    }

    @inline(__always)
    static func rowPair<Code: AVX2Int16WidenableCode>(_ a: PackedGEMVArguments, _ r0: Int, _ r1: Int, code: Code.Type) -> (Float, Float) {
        let blocksPerSegment = a.segmentLength / a.activationBlockLength
        let p0 = UnsafeRawPointer(a.codes + r0 &* a.bytesPerRow), p1 = UnsafeRawPointer(a.codes + r1 &* a.bytesPerRow)
        let xq = a.x
        let activationScales = a.activationScales!
        var totals = RowPairTotals()
        var i = 0
        var block = 0
        for g in 0 ..< a.segmentsPerRow {
            var dot0 = SIMD8<Float>(), dot1 = SIMD8<Float>()
            for _ in 0 ..< blocksPerSegment {
                var sum0 = SIMD8<Int32>(), sum1 = SIMD8<Int32>()
                let end = i &+ a.activationBlockLength
                while i < end {
                    let x = xq.loadUnaligned(fromByteOffset: i &* 2, as: SIMD16<Int16>.self)
                    sum0 &+= AVX2Lanes.multiplyAddPairs(Code.int16Lanes(p0, i), x)
                    sum1 &+= AVX2Lanes.multiplyAddPairs(Code.int16Lanes(p1, i), x)
                    i &+= 16
                }
                let scale = SIMD8<Float>(repeating: activationScales[block])
                dot0 = dot0.addingProduct(scale, AVX2Lanes.float(sum0))
                dot1 = dot1.addingProduct(scale, AVX2Lanes.float(sum1))
                block &+= 1
            }
            totals.add(a, rows: r0, r1, segment: g, dot0, dot1)
        }
        return totals.outputs
    }
}
#endif
