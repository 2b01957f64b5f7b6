#if arch(x86_64)
/// The exact Int32 lane sums of Σu·q over one activation block of one row (a kernel's inner loop). A protocol,
/// not a closure, so that the loop is specialised and inlined into `integerActivationRow` (a closure there was
/// compiled as a call per block).
protocol IntegerBlockSum {
    /// The sums over the block that starts at element `start` of the row.
    func sum(from start: Int) -> SIMD8<Int32>
}

extension PackedGEMVArguments {
    /// y[r] for kernels with Int16 activation codes: each block's sum is scaled by its activation scale with one
    /// FMA, each scale segment by its weight scale (`RowTotals`).
    @inline(__always)
    func integerActivationRow<Sum: IntegerBlockSum>(_ r: Int, _ blockSum: Sum) -> Float {
        let blocksPerSegment = segmentLength / activationBlockLength
        let scales = activationScales!
        var totals = RowTotals()
        var block = 0
        for g in 0 ..< segmentsPerRow {
            var dot = SIMD8<Float>()
            for _ in 0 ..< blocksPerSegment {
                let sum = blockSum.sum(from: block &* activationBlockLength)
                dot = dot.addingProduct(SIMD8<Float>(repeating: scales[block]), AVX2Lanes.float(sum))
                block &+= 1
            }
            totals.add(self, row: r, segment: g, dot)
        }
        return totals.output
    }
}
#endif
