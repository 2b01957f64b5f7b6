extension PackedMatrix {
    /// Whether 8-bit codes are uniform ints that the SIMD path can convert directly: `true` for signed
    /// (two's complement or symmetric) codes, `false` for unsigned or asymmetric codes, nil otherwise.
    var int8Signedness: Bool? {
        guard case .element(let type) = weights.format, type.bits == 8, case .int(let encoding) = type.kind,
              columns % 16 == 0, segmentLength % 16 == 0 else { return nil }
        return encoding == .twosComplement || encoding == .symmetric
    }

    /// GEMV for uniform int8 codes: 16 codes per load, widened to Float32 in registers and multiplied with x,
    /// so no decoded row is written. Zero-points use Σ(q − z)·x = Σq·x − z·Σx.
    func gemvInt8(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, signed: Bool, threads: Int) {
        let columns = self.columns
        let segment = segmentLength
        let segmentsPerRow = columns / segment
        let wholeRowSegment = weights.blockSize >= columns
        let segmentSums: [Float] = asymmetric
            ? (0 ..< segmentsPerRow).map { VectorMath.sum(x.baseAddress! + $0 * segment, count: segment) }
            : []
        let input = SharedPointer(base: UnsafeMutablePointer(mutating: x.baseAddress!))
        let output = SharedPointer(base: y.baseAddress!)
        weights.codes.withUnsafeBufferPointer { codesBuffer in
            weights.scales.withUnsafeBufferPointer { scalesBuffer in
                let codes = SharedPointer(base: UnsafeMutablePointer(mutating: codesBuffer.baseAddress!))
                let scales = SharedPointer(base: UnsafeMutablePointer(mutating: scalesBuffer.baseAddress!))
                Parallel.forEachChunk(rows, threads: threads, minimumChunk: 8) { range in
                    for r in range {
                        let rowCodes = UnsafeRawPointer(codes.base + r * columns)
                        var total: Float = 0
                        for g in 0 ..< segmentsPerRow {
                            let block = wholeRowSegment ? r * columns / weights.blockSize : r * segmentsPerRow + g
                            var partial = signed
                                ? PackedMatrix.signedByteDot(rowCodes + g * segment, input.base + g * segment, count: segment)
                                : PackedMatrix.unsignedByteDot(rowCodes + g * segment, input.base + g * segment, count: segment)
                            if asymmetric { partial -= Float(weights.zeroPoints[block]) * segmentSums[g] }
                            total += wholeRowSegment ? partial : scales.base[block] * partial
                        }
                        if wholeRowSegment { total *= scales.base[r * columns / weights.blockSize] }
                        output.base[r] = total
                    }
                }
            }
        }
    }

    /// Σ Int8(code)·x over `count` (a multiple of 16) elements.
    @inline(__always)
    static func signedByteDot(_ codes: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        let xr = UnsafeRawPointer(x)
        var i = 0
        while i < count {
            let bytes = codes.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self)
            acc0 += SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: bytes.lowHalf)) * xr.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc1 += SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: bytes.highHalf)) * xr.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
            i += 16
        }
        return (acc0 + acc1).sum()
    }

    /// Σ UInt8(code)·x over `count` (a multiple of 16) elements.
    @inline(__always)
    static func unsignedByteDot(_ codes: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        let xr = UnsafeRawPointer(x)
        var i = 0
        while i < count {
            let bytes = codes.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            acc0 += SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: bytes.lowHalf)) * xr.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc1 += SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: bytes.highHalf)) * xr.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
            i += 16
        }
        return (acc0 + acc1).sum()
    }
}
