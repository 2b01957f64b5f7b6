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
                Parallel.forEachChunk(rows, threads: threads, minimumChunk: 16, chunksPerWorker: 8) { range in
                    AVX2Int4GEMV.run(arguments, rows: range, flip: flip)
                }
            }
        }
    }

    /// GEMV for uniform int8 codes through `AVX2Int8GEMV` (x used as is).
    func gemvInt8AVX2(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, signed: Bool, threads: Int) {
        withAVX2Arguments(x, codesX: x.baseAddress!, offset: 0, into: y) { arguments in
            Parallel.forEachChunk(rows, threads: threads, minimumChunk: 16, chunksPerWorker: 8) { range in
                AVX2Int8GEMV.run(arguments, rows: range, signed: signed)
            }
        }
    }

    /// GEMV for uniform int4 codes against Int16 activation codes through `AVX2Int4Int16GEMV` (codes permuted once
    /// per call).
    func gemvInt4Int16AVX2(_ x: BlockQuantizedActivations, into y: UnsafeMutableBufferPointer<Float>, offset: Float, threads: Int) {
        var permuted = [Int16](repeating: 0, count: columns)
        x.codes.withUnsafeBufferPointer { q in
            permuted.withUnsafeMutableBufferPointer { AVX2Int4Int16GEMV.permute(q.baseAddress!, into: $0.baseAddress!, count: columns) }
        }
        permuted.withUnsafeBytes { codesX in
            withAVX2Arguments(integer: x, codesX: codesX.baseAddress!, offset: offset, into: y) { arguments in
                let flip: UInt16 = offset == 0 ? 0 : 0x8888
                Parallel.forEachChunk(rows, threads: threads, minimumChunk: 16, chunksPerWorker: 8) { range in
                    AVX2Int4Int16GEMV.run(arguments, rows: range, flip: flip)
                }
            }
        }
    }

    /// GEMV for uniform int8 codes against Int16 activation codes through `AVX2Int8Int16GEMV`.
    func gemvInt8Int16AVX2(_ x: BlockQuantizedActivations, into y: UnsafeMutableBufferPointer<Float>, signed: Bool, threads: Int) {
        x.codes.withUnsafeBytes { codesX in
            withAVX2Arguments(integer: x, codesX: codesX.baseAddress!, offset: 0, into: y) { arguments in
                Parallel.forEachChunk(rows, threads: threads, minimumChunk: 16, chunksPerWorker: 8) { range in
                    AVX2Int8Int16GEMV.run(arguments, rows: range, signed: signed)
                }
            }
        }
    }

    /// Builds the kernel arguments for Float32 activations: S_g of each scale segment of x (for the code offset and
    /// the zero-points, since Σ(u − c)·x = Σu·x − c·Σx).
    private func withAVX2Arguments(_ x: UnsafeBufferPointer<Float>, codesX: UnsafePointer<Float>, offset: Float,
                                   into y: UnsafeMutableBufferPointer<Float>, _ body: (PackedGEMVArguments) -> Void) {
        let segment = segmentLength
        let sums = (0 ..< columns / segment).map { VectorMath.sum(x.baseAddress! + $0 * segment, count: segment) }
        withAVX2Arguments(x: UnsafeRawPointer(codesX), activationScales: nil, activationBlockLength: 0,
                          segmentSums: sums, offset: offset, into: y, body)
    }

    /// Builds the kernel arguments for Int16 activation codes, with S_g = Σ x̂ over each segment.
    private func withAVX2Arguments(integer x: BlockQuantizedActivations, codesX: UnsafeRawPointer, offset: Float,
                                   into y: UnsafeMutableBufferPointer<Float>, _ body: (PackedGEMVArguments) -> Void) {
        x.scales.withUnsafeBufferPointer { scales in
            withAVX2Arguments(x: codesX, activationScales: scales.baseAddress!, activationBlockLength: x.blockLength,
                              segmentSums: x.segmentSums(segmentLength: segmentLength), offset: offset, into: y, body)
        }
    }

    /// The scale layout and the buffers, valid for the duration of `body`.
    private func withAVX2Arguments(x: UnsafeRawPointer, activationScales: UnsafePointer<Float>?, activationBlockLength: Int,
                                   segmentSums: [Float], offset: Float, into y: UnsafeMutableBufferPointer<Float>,
                                   _ body: (PackedGEMVArguments) -> Void) {
        let segment = segmentLength
        let segmentsPerRow = columns / segment
        // Scale index of (r, g) = r·stride + g: one scale for the tensor, one per row, or one per segment.
        let scaleRowStride = weights.blockSize > columns ? 0 : segmentsPerRow
        segmentSums.withUnsafeBufferPointer { sums in
            weights.codes.withUnsafeBufferPointer { codes in
                weights.scales.withUnsafeBufferPointer { scales in
                    weights.zeroPoints.withUnsafeBufferPointer { zeros in
                        body(PackedGEMVArguments(
                            codes: codes.baseAddress!, bytesPerRow: weights.rowStride, x: x,
                            activationScales: activationScales, activationBlockLength: activationBlockLength,
                            segmentLength: segment, segmentsPerRow: segmentsPerRow, scales: scales.baseAddress!,
                            scaleRowStride: scaleRowStride, zeroPoints: asymmetric ? zeros.baseAddress : nil,
                            offset: offset, segmentSums: sums.baseAddress!, output: y.baseAddress!))
                    }
                }
            }
        }
    }
}
#endif
