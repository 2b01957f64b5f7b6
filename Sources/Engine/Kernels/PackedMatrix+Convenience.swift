extension PackedMatrix {
    /// y = W·x (array convenience).
    public func gemv(_ x: [Float], activations: GEMVActivations = .float32, threads: Int = Parallel.coreCount) -> [Float] {
        var y = [Float](repeating: 0, count: rows)
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { gemv(xb, into: $0, activations: activations, threads: threads) } }
        return y
    }

    /// Y = X·Wᵀ for `x` of shape `[batch, columns]`; returns `[batch, rows]`.
    public func gemm(_ x: Tensor, threads: Int = Parallel.coreCount) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == columns, "gemm: activations \(x.shape) do not match \(columns) input features")
        let batch = x.shape[0]
        var y = [Float](repeating: 0, count: batch * rows)
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { gemm(xb, batch: batch, into: $0, threads: threads) } }
        return Tensor(shape: [batch, rows], values: y)
    }
}
