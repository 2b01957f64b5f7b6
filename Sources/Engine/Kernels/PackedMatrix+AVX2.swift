#if arch(x86_64)
import EngineKernelsX86V3

extension PackedMatrix {
    /// GEMV for uniform int4 codes through `AVX2Int4GEMV` (x permuted once per call into a temporary buffer).
    func gemvInt4AVX2(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, offset: Float, threads: Int) {
        let columns = self.columns
        withUnsafeTemporaryAllocation(of: Float.self, capacity: columns) { permuted in
            AVX2Int4GEMV.permute(x.baseAddress!, into: permuted.baseAddress!, count: columns)
            withAVX2Arguments(x, codesX: UnsafePointer(permuted.baseAddress!), offset: offset, into: y) { arguments in
                let flip: UInt8 = offset == 0 ? 0 : 0x88
                Parallel.forEachChunk(rows, threads: threads, minimumChunk: 16) { range in
                    AVX2Int4GEMV.run(arguments, rows: range, flip: flip)
                }
            }
        }
    }

    /// GEMV for uniform int8 codes through `AVX2Int8GEMV` (x used as is).
    func gemvInt8AVX2(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, signed: Bool, threads: Int) {
        withAVX2Arguments(x, codesX: x.baseAddress!, offset: 0, into: y) { arguments in
            Parallel.forEachChunk(rows, threads: threads, minimumChunk: 16) { range in
                AVX2Int8GEMV.run(arguments, rows: range, signed: signed)
            }
        }
    }

    /// Builds the kernel arguments: S_g of each scale segment of x (for the code offset and the zero-points, since
    /// Σ(u − c)·x = Σu·x − c·Σx), the scale layout and the buffers, valid for the duration of `body`.
    private func withAVX2Arguments(_ x: UnsafeBufferPointer<Float>, codesX: UnsafePointer<Float>, offset: Float,
                                   into y: UnsafeMutableBufferPointer<Float>, _ body: (PackedGEMVArguments) -> Void) {
        let segment = segmentLength
        let segmentsPerRow = columns / segment
        // Scale index of (r, g) = r·stride + g: one scale for the tensor, one per row, or one per segment.
        let scaleRowStride = weights.blockSize > columns ? 0 : segmentsPerRow
        withUnsafeTemporaryAllocation(of: Float.self, capacity: segmentsPerRow) { sums in
            for g in 0 ..< segmentsPerRow { sums[g] = VectorMath.sum(x.baseAddress! + g * segment, count: segment) }
            weights.codes.withUnsafeBufferPointer { codes in
                weights.scales.withUnsafeBufferPointer { scales in
                    weights.zeroPoints.withUnsafeBufferPointer { zeros in
                        body(PackedGEMVArguments(
                            codes: codes.baseAddress!, bytesPerRow: weights.rowStride, x: codesX,
                            segmentLength: segment, segmentsPerRow: segmentsPerRow, scales: scales.baseAddress!,
                            scaleRowStride: scaleRowStride, zeroPoints: asymmetric ? zeros.baseAddress : nil,
                            offset: offset, segmentSums: UnsafePointer(sums.baseAddress!), output: y.baseAddress!))
                    }
                }
            }
        }
    }
}
#endif
