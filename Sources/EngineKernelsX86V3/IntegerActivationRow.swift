#if arch(x86_64)
/// The exact Int32 lane sums of Σu·q over one activation block of one row (a kernel's inner loop). A protocol,
/// not a closure, so that the loop is specialised and inlined into `integerActivationRow` (a closure there was
/// compiled as a call per block).
protocol IntegerBlockSum {
    /// The sums over the block that starts at element `start` of the row.
    func sum(from start: Int) -> SIMD8<Int32>
}

extension PackedGEMVArguments {
    /// y[r] for kernels with Int16 activation codes: each block's sum is scaled by its activation scale and its
    /// segment's weight scale, with one FMA per block when a block spans its segment (groups of 128); the offset
    /// and zero-point term is summed after the row (`shiftTotal`).
    @inline(__always)
    func integerActivationRow<Sum: IntegerBlockSum>(_ r: Int, _ blockSum: Sum) -> Float {
        let blocksPerSegment = segmentLength / activationBlockLength
        let blockScales = activationScales!
        let rowScales = scales + r &* scaleRowStride
        var total = SIMD8<Float>()
        var block = 0
        for g in 0 ..< segmentsPerRow {
            if blocksPerSegment == 1 {
                let sum = AVX2Lanes.float(blockSum.sum(from: block &* activationBlockLength))
                total = total.addingProduct(SIMD8(repeating: rowScales[g] * blockScales[block]), sum)
                block &+= 1
            } else {
                var dot = SIMD8<Float>()
                for _ in 0 ..< blocksPerSegment {
                    let sum = AVX2Lanes.float(blockSum.sum(from: block &* activationBlockLength))
                    dot = dot.addingProduct(SIMD8(repeating: blockScales[block]), sum)
                    block &+= 1
                }
                total = total.addingProduct(SIMD8(repeating: rowScales[g]), dot)
            }
        }
        return AVX2Lanes.horizontalSum(total) - shiftTotal(row: r)
    }

    /// Σ_g s(r, g)·(offset + z(r, g))·S_g, eight segments per step when the row's scales are contiguous and there
    /// are no zero-points (symmetric int4 in groups: offset·Σ_g s(r, g)·S_g).
    @inline(__always)
    func shiftTotal(row r: Int) -> Float {
        if zeroPoints == nil && scaleRowStride == segmentsPerRow {
            guard offset != 0 else { return 0 }
            let rowScales = UnsafeRawPointer(scales + r &* scaleRowStride)
            let sums = UnsafeRawPointer(segmentSums)
            var acc = SIMD8<Float>()
            var g = 0
            while g &+ 8 <= segmentsPerRow {
                acc = acc.addingProduct(rowScales.loadUnaligned(fromByteOffset: g &* 4, as: SIMD8<Float>.self),
                                        sums.loadUnaligned(fromByteOffset: g &* 4, as: SIMD8<Float>.self))
                g &+= 8
            }
            var rest: Float = 0
            while g < segmentsPerRow { rest += scales[r &* scaleRowStride &+ g] * segmentSums[g]; g &+= 1 }
            return offset * (AVX2Lanes.horizontalSum(acc) + rest)
        }
        var shifted: Float = 0
        for g in 0 ..< segmentsPerRow {
            let (s, c) = scaleAndShift(row: r, segment: g)
            shifted += s * c * segmentSums[g]
        }
        return shifted
    }
}
#endif
