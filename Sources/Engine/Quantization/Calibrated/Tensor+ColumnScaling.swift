extension Tensor {
    /// `self · diag(factors)` for a matrix `[rows, columns]`: column j multiplied by `factors[j]` (the input-channel
    /// scaling of AWQ and SmoothQuant, QUANT_SPEC §7.2–7.3).
    func scalingColumns(by factors: [Float]) -> Tensor {
        precondition(rank == 2 && factors.count == shape[1], "scalingColumns: \(factors.count) factors for \(shape)")
        let columns = shape[1]
        var out = values
        for i in 0 ..< out.count { out[i] *= factors[i % columns] }
        return Tensor(shape: shape, values: out)
    }
}
