extension Tensor {
    /// `self · diag(factors)` for a matrix `[rows, columns]`: column j multiplied by `factors[j]` (the input-channel
    /// scaling of AWQ and SmoothQuant, QUANT_SPEC §7.2–7.3).
    func scalingColumns(by factors: [Float]) -> Tensor {
        precondition(rank == 2 && factors.count == shape[1], "scalingColumns: \(factors.count) factors for \(shape)")
        let (rows, columns) = (shape[0], shape[1])
        var out = values
        out.withUnsafeMutableBufferPointer { o in
            factors.withUnsafeBufferPointer { f in
                for r in 0 ..< rows {
                    for c in 0 ..< columns { o[r * columns + c] *= f[c] }
                }
            }
        }
        return Tensor(shape: shape, values: out)
    }
}
