extension PackedMatrix {
    /// Offset subtracted from the nibble for uniform 4-bit ints: two's complement nibble c holds q = (c ⊕ 8) − 8,
    /// so after XOR-ing every nibble with 8 the value is u − 8; unsigned and asymmetric codes are used as is.
    var uniformInt4Offset: Float? {
        guard case .element(let type) = weights.format, type.bits == 4, case .int(let encoding) = type.kind else { return nil }
        return encoding == .twosComplement || encoding == .symmetric ? 8 : 0
    }

    /// `uniformInt4Offset` where the portable nibble kernel applies (rows and segments in 32-element chunks).
    var int4NibbleOffset: Float? {
        columns % 32 == 0 && segmentLength % 32 == 0 ? uniformInt4Offset : nil
    }

    /// `uniformInt4Offset` where the AVX2 kernel applies (AVX2 allowed, rows and segments in 16-element chunks).
    var avx2Int4Offset: Float? {
        usesAVX2 && columns % 16 == 0 && segmentLength % 16 == 0 ? uniformInt4Offset : nil
    }

    /// GEMV for uniform int4 codes with SIMD conversion instead of lookups. Each 16-byte load holds 32 weights;
    /// x is permuted once per call to match the order in which nibbles come out of the load (see below).
    /// Σ q·x = Σ u·x − offset·Σx per scale segment.
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
        // Lane j of a 16-byte load, read as four UInt32, holds elements 8j … 8j+7 of the 32-element chunk; its
        // nibble k is element 8j + k. Group x by nibble position: permuted[4k + j] = x[8j + k].
        for chunk in stride(from: 0, to: columns, by: 32) {
            for k in 0 ..< 8 {
                for j in 0 ..< 4 { permuted[chunk + 4 * k + j] = x[chunk + 8 * j + k] }
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

    /// Σ u·x' over `elements` weights (a multiple of 32) whose nibbles, after XOR with `flip`, are u. The nibbles
    /// become floats with the 2^23 trick: the bit pattern 0x4B00_0000 | n is the float 2^23 + n, so subtracting
    /// 2^23 leaves n exactly; only shifts, masks and float adds, all native SSE2 operations.
    @inline(__always)
    static func nibbleDot(_ codes: UnsafeRawPointer, _ x: UnsafePointer<Float>, elements: Int, flip: UInt8) -> Float {
        var acc0 = SIMD4<Float>(), acc1 = SIMD4<Float>(), acc2 = SIMD4<Float>(), acc3 = SIMD4<Float>()
        var acc4 = SIMD4<Float>(), acc5 = SIMD4<Float>(), acc6 = SIMD4<Float>(), acc7 = SIMD4<Float>()
        let xr = UnsafeRawPointer(x)
        let flipWord = SIMD4<UInt32>(repeating: UInt32(flip) &* 0x0101_0101)
        let mask = SIMD4<UInt32>(repeating: 0x0F)
        let magic = SIMD4<UInt32>(repeating: 0x4B00_0000)
        let twoPow23 = SIMD4<Float>(repeating: 8_388_608)
        var offset = 0
        while offset < elements {
            let words = codes.loadUnaligned(fromByteOffset: offset / 2, as: SIMD4<UInt32>.self) ^ flipWord
            let base = 4 * offset
            // Constant shift counts keep every shift a single psrld (a variable count would be scalarised).
            let n0 = (words & mask) | magic
            let n1 = ((words &>> 4) & mask) | magic
            let n2 = ((words &>> 8) & mask) | magic
            let n3 = ((words &>> 12) & mask) | magic
            let n4 = ((words &>> 16) & mask) | magic
            let n5 = ((words &>> 20) & mask) | magic
            let n6 = ((words &>> 24) & mask) | magic
            let n7 = (words &>> 28) | magic
            acc0 += (unsafeBitCast(n0, to: SIMD4<Float>.self) - twoPow23) * xr.loadUnaligned(fromByteOffset: base, as: SIMD4<Float>.self)
            acc1 += (unsafeBitCast(n1, to: SIMD4<Float>.self) - twoPow23) * xr.loadUnaligned(fromByteOffset: base + 16, as: SIMD4<Float>.self)
            acc2 += (unsafeBitCast(n2, to: SIMD4<Float>.self) - twoPow23) * xr.loadUnaligned(fromByteOffset: base + 32, as: SIMD4<Float>.self)
            acc3 += (unsafeBitCast(n3, to: SIMD4<Float>.self) - twoPow23) * xr.loadUnaligned(fromByteOffset: base + 48, as: SIMD4<Float>.self)
            acc4 += (unsafeBitCast(n4, to: SIMD4<Float>.self) - twoPow23) * xr.loadUnaligned(fromByteOffset: base + 64, as: SIMD4<Float>.self)
            acc5 += (unsafeBitCast(n5, to: SIMD4<Float>.self) - twoPow23) * xr.loadUnaligned(fromByteOffset: base + 80, as: SIMD4<Float>.self)
            acc6 += (unsafeBitCast(n6, to: SIMD4<Float>.self) - twoPow23) * xr.loadUnaligned(fromByteOffset: base + 96, as: SIMD4<Float>.self)
            acc7 += (unsafeBitCast(n7, to: SIMD4<Float>.self) - twoPow23) * xr.loadUnaligned(fromByteOffset: base + 112, as: SIMD4<Float>.self)
            offset += 32
        }
        // One accumulator per nibble position: no lane mixing inside the loop, which keeps LLVM from
        // scalarising parts of it.
        return VectorMath.horizontalSum(((acc0 + acc1) + (acc2 + acc3)) + ((acc4 + acc5) + (acc6 + acc7)))
    }
}
