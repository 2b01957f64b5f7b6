#if arch(x86_64)
/// The running output of one row: Σ_g s(r, g)·(Σ_{c ∈ g} u·x) kept in a vector register (one FMA per segment, one
/// horizontal sum per row) and Σ_g s(r, g)·(offset + z(r, g))·S_g summed apart. The one-row form of
/// `RowPairTotals`, for kernels that stream one row at a time.
struct RowTotals {
    private var total = SIMD8<Float>()
    private var shifted: Float = 0

    /// Adds segment `g` of row `r`, given its lane-wise Σu·x.
    @inline(__always)
    mutating func add(_ a: PackedGEMVArguments, row r: Int, segment g: Int, _ dot: SIMD8<Float>) {
        let (s, c) = a.scaleAndShift(row: r, segment: g)
        total = total.addingProduct(SIMD8(repeating: s), dot)
        shifted += s * c * a.segmentSums[g]
    }

    /// y[r].
    @inline(__always)
    var output: Float { AVX2Lanes.horizontalSum(total) - shifted }
}
#endif
