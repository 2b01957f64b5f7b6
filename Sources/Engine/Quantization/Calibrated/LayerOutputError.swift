/// The layer-output error of a weight change measured on calibration inputs through their Gram matrix:
/// ‖X·Δᵀ‖² = Σ_r Δ_rᵀ (XᵀX) Δ_r, so each candidate costs one product with XᵀX instead of one with X.
struct LayerOutputError {
    /// XᵀX, `[channels, channels]` row-major.
    let gram: [Float]
    let channels: Int

    /// Σ_t (x_t · Δ_{r,S}ᵀ)² for every row r of `delta` (`[rows, channels]`) and every run S of `segment` consecutive
    /// columns, ignoring the cross terms between runs; `[rows × channels/segment]`, row-major.
    /// With `segment == channels` the sum over rows is the exact output error.
    func segmentErrors(_ delta: [Float], rows: Int, segment: Int) -> [Double] {
        precondition(segment > 0 && channels % segment == 0 && delta.count == rows * channels, "LayerOutputError: bad segment")
        let segments = channels / segment
        var product = [Float](repeating: 0, count: rows * segment)
        var result = [Double](repeating: 0, count: rows * segments)
        delta.withUnsafeBufferPointer { d in
            gram.withUnsafeBufferPointer { g in
                product.withUnsafeMutableBufferPointer { p in
                    for k in 0 ..< segments {
                        let start = k * segment
                        // P = Δ[:, S] · G[S, S]
                        OpenBLAS.sgemm(OpenBLAS.rowMajor, OpenBLAS.noTrans, OpenBLAS.noTrans, Int32(rows), Int32(segment), Int32(segment), 1,
                                       d.baseAddress! + start, Int32(channels), g.baseAddress! + start * channels + start,
                                       Int32(channels), 0, p.baseAddress!, Int32(segment))
                        for r in 0 ..< rows {
                            var sum = 0.0
                            for j in 0 ..< segment { sum += Double(p[r * segment + j]) * Double(d[r * channels + start + j]) }
                            result[r * segments + k] = sum
                        }
                    }
                }
            }
        }
        return result
    }

    /// ‖X·Δᵀ‖² for `delta` (`[rows, channels]`).
    func total(_ delta: [Float], rows: Int) -> Double {
        segmentErrors(delta, rows: rows, segment: channels).reduce(0, +)
    }
}
