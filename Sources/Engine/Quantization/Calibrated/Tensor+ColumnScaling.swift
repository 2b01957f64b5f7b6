extension Tensor {
    /// `self · diag(factors)` for a matrix `[rows, columns]`: column j multiplied by `factors[j]` (the input-channel
    /// scaling of AWQ and SmoothQuant, QUANT_SPEC §7.2–7.3).
    func scalingColumns(by factors: [Float]) -> Tensor {
        combiningColumns(with: factors, name: "scalingColumns", *=)
    }

    /// `self · diag(divisor)⁻¹`: column j divided by `divisor[j]` (a layer's inputs x ⊘ s after AWQ / SmoothQuant).
    func dividingColumns(by divisor: [Float]) -> Tensor {
        combiningColumns(with: divisor, name: "dividingColumns", /=)
    }

    @inline(__always)
    private func combiningColumns(with factors: [Float], name: String, _ apply: (inout Float, Float) -> Void) -> Tensor {
        precondition(rank == 2 && factors.count == shape[1], "\(name): \(factors.count) factors for \(shape)")
        let (rows, columns) = (shape[0], shape[1])
        var out = values
        out.withUnsafeMutableBufferPointer { o in
            factors.withUnsafeBufferPointer { f in
                for r in 0 ..< rows {
                    for c in 0 ..< columns { apply(&o[r * columns + c], f[c]) }
                }
            }
        }
        return Tensor(shape: shape, values: out)
    }
}
