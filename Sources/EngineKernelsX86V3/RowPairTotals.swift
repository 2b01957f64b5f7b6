#if arch(x86_64)
/// The running outputs of a pair of rows: Σ_g s(r, g)·(Σ_{c ∈ g} u·x) kept in vector registers (one FMA per
/// segment, one horizontal sum per row) and Σ_g s(r, g)·(offset + z(r, g))·S_g summed apart.
struct RowPairTotals {
    private var total0 = SIMD8<Float>(), total1 = SIMD8<Float>()
    private var shifted0: Float = 0, shifted1: Float = 0

    /// Adds segment `g` of rows `r0` and `r1`, given their lane-wise Σu·x.
    @inline(__always)
    mutating func add(_ a: PackedGEMVArguments, rows r0: Int, _ r1: Int, segment g: Int,
                      _ dot0: SIMD8<Float>, _ dot1: SIMD8<Float>) {
        let (s0, c0) = a.scaleAndShift(row: r0, segment: g)
        let (s1, c1) = a.scaleAndShift(row: r1, segment: g)
        total0 = total0.addingProduct(SIMD8(repeating: s0), dot0)
        total1 = total1.addingProduct(SIMD8(repeating: s1), dot1)
        shifted0 += s0 * c0 * a.segmentSums[g]
        shifted1 += s1 * c1 * a.segmentSums[g]
    }

    /// (y[r0], y[r1]).
    @inline(__always)
    var outputs: (Float, Float) {
        (AVX2Lanes.horizontalSum(total0) - shifted0, AVX2Lanes.horizontalSum(total1) - shifted1)
    }
}
#endif
