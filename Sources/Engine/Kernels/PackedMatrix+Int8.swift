extension PackedMatrix {
    /// Whether 8-bit codes are uniform ints that the SIMD path can convert directly: `true` for signed
    /// (two's complement or symmetric) codes, `false` for unsigned or asymmetric codes, nil otherwise.
    var int8Signedness: Bool? {
        guard case .element(let type) = weights.format, type.bits == 8, case .int(let encoding) = type.kind,
              columns % 16 == 0, segmentLength % 16 == 0 else { return nil }
        return encoding == .twosComplement || encoding == .symmetric
    }

    /// GEMV for uniform int8 codes: 16 codes per load, turned into Float32 in registers and multiplied with a
    /// permuted x, so no decoded row is written. Zero-points use Σ(q − z)·x = Σq·x − z·Σx.
    func gemvInt8(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, signed: Bool, threads: Int) {
        let columns = self.columns
        let segment = segmentLength
        let segmentsPerRow = columns / segment
        let wholeRowSegment = weights.blockSize >= columns
        let segmentSums: [Float] = asymmetric
            ? (0 ..< segmentsPerRow).map { VectorMath.sum(x.baseAddress! + $0 * segment, count: segment) }
            : []
        var permuted = [Float](repeating: 0, count: columns)
        for chunk in stride(from: 0, to: columns, by: 16) {
            for k in 0 ..< 4 {
                for j in 0 ..< 4 { permuted[chunk + 4 * k + j] = x[chunk + 4 * j + k] }
            }
        }
        let output = SharedPointer(base: y.baseAddress!)
        permuted.withUnsafeBufferPointer { permutedBuffer in
        weights.codes.withUnsafeBufferPointer { codesBuffer in
            weights.scales.withUnsafeBufferPointer { scalesBuffer in
                let input = SharedPointer(base: UnsafeMutablePointer(mutating: permutedBuffer.baseAddress!))
                let codes = SharedPointer(base: UnsafeMutablePointer(mutating: codesBuffer.baseAddress!))
                let scales = SharedPointer(base: UnsafeMutablePointer(mutating: scalesBuffer.baseAddress!))
                Parallel.forEachChunk(rows, threads: threads, minimumChunk: 8) { range in
                    for r in range {
                        let rowCodes = UnsafeRawPointer(codes.base + r * columns)
                        var total: Float = 0
                        for g in 0 ..< segmentsPerRow {
                            let block = wholeRowSegment ? r * columns / weights.blockSize : r * segmentsPerRow + g
                            var partial = PackedMatrix.byteDot(rowCodes + g * segment, input.base + g * segment, count: segment, signed: signed)
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
    }

    /// Σ q·x over `count` (a multiple of 16) byte codes, where q = code (unsigned) or Int8(code) (signed).
    /// x must be permuted per 16-element chunk as permuted[4k + j] = x[4j + k] (byte k of 32-bit lane j).
    /// Bytes become floats with the 2^23 trick (0x4B00_0000 | b is 2^23 + b); signed codes are XOR-ed with 0x80,
    /// which maps q to q + 128, and the 128 is subtracted with the 2^23.
    @inline(__always)
    static func byteDot(_ codes: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int, signed: Bool) -> Float {
        var acc0 = SIMD4<Float>(), acc1 = SIMD4<Float>(), acc2 = SIMD4<Float>(), acc3 = SIMD4<Float>()
        let xr = UnsafeRawPointer(x)
        let flip = SIMD4<UInt32>(repeating: signed ? 0x8080_8080 : 0)
        let mask = SIMD4<UInt32>(repeating: 0xFF)
        let magic = SIMD4<UInt32>(repeating: 0x4B00_0000)
        let bias = SIMD4<Float>(repeating: signed ? 8_388_736 : 8_388_608)
        var i = 0
        while i < count {
            let words = codes.loadUnaligned(fromByteOffset: i, as: SIMD4<UInt32>.self) ^ flip
            let base = 4 * i
            acc0 += (unsafeBitCast((words & mask) | magic, to: SIMD4<Float>.self) - bias) * xr.loadUnaligned(fromByteOffset: base, as: SIMD4<Float>.self)
            acc1 += (unsafeBitCast(((words &>> 8) & mask) | magic, to: SIMD4<Float>.self) - bias) * xr.loadUnaligned(fromByteOffset: base + 16, as: SIMD4<Float>.self)
            acc2 += (unsafeBitCast(((words &>> 16) & mask) | magic, to: SIMD4<Float>.self) - bias) * xr.loadUnaligned(fromByteOffset: base + 32, as: SIMD4<Float>.self)
            acc3 += (unsafeBitCast((words &>> 24) | magic, to: SIMD4<Float>.self) - bias) * xr.loadUnaligned(fromByteOffset: base + 48, as: SIMD4<Float>.self)
            i += 16
        }
        return VectorMath.horizontalSum((acc0 + acc1) + (acc2 + acc3))
    }
}
