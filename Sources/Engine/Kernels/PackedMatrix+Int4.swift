extension PackedMatrix {
    /// Offset subtracted from the nibble for uniform 4-bit ints: two's complement nibble c holds q = (c ⊕ 8) − 8,
    /// so after XOR-ing every nibble with 8 the value is u − 8; unsigned and asymmetric codes are used as is.
    var int4NibbleOffset: Float? {
        guard case .element(let type) = weights.format, type.bits == 4, case .int(let encoding) = type.kind,
              columns % 32 == 0, segmentLength % 32 == 0 else { return nil }
        return encoding == .twosComplement || encoding == .symmetric ? 8 : 0
    }

    /// GEMV for uniform int4 codes with SIMD conversion instead of lookups. Each 16-byte load holds 32 weights;
    /// x is permuted once per call so that the low nibbles of a 16-byte chunk meet x[0], x[2], …, x[30] and the
    /// high nibbles x[1], x[3], …, x[31]. Σ q·x = Σ u·x − offset·Σx per scale segment.
    func gemvInt4(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, offset: Float, threads: Int) {
        let columns = self.columns
        let rows = self.rows
        let segment = segmentLength
        let segmentsPerRow = columns / segment
        let wholeRowSegment = weights.blockSize >= columns
        let bytesPerRow = columns / 2
        let flip: UInt8 = offset == 0 ? 0 : 0x88
        var permuted = [Float](repeating: 0, count: columns)
        var segmentSums = [Float](repeating: 0, count: segmentsPerRow)
        for chunk in stride(from: 0, to: columns, by: 32) {
            for i in 0 ..< 16 {
                permuted[chunk + i] = x[chunk + 2 * i]
                permuted[chunk + 16 + i] = x[chunk + 2 * i + 1]
            }
        }
        for g in 0 ..< segmentsPerRow {
            segmentSums[g] = VectorMath.sum(x.baseAddress! + g * segment, count: segment)
        }
        let output = SharedPointer(base: y.baseAddress!)
        permuted.withUnsafeBufferPointer { permutedBuffer in
            weights.codes.withUnsafeBufferPointer { codesBuffer in
                weights.scales.withUnsafeBufferPointer { scalesBuffer in
                    weights.zeroPoints.withUnsafeBufferPointer { zerosBuffer in
                        segmentSums.withUnsafeBufferPointer { sumsBuffer in
                            let xp = SharedPointer(base: UnsafeMutablePointer(mutating: permutedBuffer.baseAddress!))
                            let codes = SharedPointer(base: UnsafeMutablePointer(mutating: codesBuffer.baseAddress!))
                            let scales = SharedPointer(base: UnsafeMutablePointer(mutating: scalesBuffer.baseAddress!))
                            let zeros = zerosBuffer.isEmpty ? nil : SharedPointer(base: UnsafeMutablePointer(mutating: zerosBuffer.baseAddress!))
                            let sums = SharedPointer(base: UnsafeMutablePointer(mutating: sumsBuffer.baseAddress!))
                            Parallel.forEachChunk(rows, threads: threads, minimumChunk: 8) { range in
                                for r in range {
                                    let rowCodes = UnsafeRawPointer(codes.base + r * bytesPerRow)
                                    var total: Float = 0
                                    for g in 0 ..< segmentsPerRow {
                                        let block = wholeRowSegment ? r * columns / weights.blockSize : r * segmentsPerRow + g
                                        var partial = PackedMatrix.nibbleDot(rowCodes + g * segment / 2, xp.base + g * segment,
                                                                             elements: segment, flip: flip)
                                        partial -= (offset + (zeros.map { Float($0.base[block]) } ?? 0)) * sums.base[g]
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
        }
    }

    /// Σ u·x' over `elements` weights (a multiple of 32) whose nibbles, after XOR with `flip`, are u.
    @inline(__always)
    static func nibbleDot(_ codes: UnsafeRawPointer, _ x: UnsafePointer<Float>, elements: Int, flip: UInt8) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        let xr = UnsafeRawPointer(x)
        let mask = SIMD16<UInt8>(repeating: 0x0F)
        let flipVector = SIMD16<UInt8>(repeating: flip)
        var offset = 0
        while offset < elements {
            let bytes = codes.loadUnaligned(fromByteOffset: offset / 2, as: SIMD16<UInt8>.self) ^ flipVector
            let low = bytes & mask
            let high = bytes &>> 4
            let base = 4 * offset
            acc0 += SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: low.lowHalf)) * xr.loadUnaligned(fromByteOffset: base, as: SIMD8<Float>.self)
            acc1 += SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: low.highHalf)) * xr.loadUnaligned(fromByteOffset: base + 32, as: SIMD8<Float>.self)
            acc2 += SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: high.lowHalf)) * xr.loadUnaligned(fromByteOffset: base + 64, as: SIMD8<Float>.self)
            acc3 += SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: high.highHalf)) * xr.loadUnaligned(fromByteOffset: base + 96, as: SIMD8<Float>.self)
            offset += 32
        }
        return ((acc0 + acc1) + (acc2 + acc3)).sum()
    }
}
