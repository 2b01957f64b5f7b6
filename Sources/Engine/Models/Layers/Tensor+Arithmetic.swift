/// Element-wise arithmetic used by the layer graph (residual connections, broadcast bias rows).
extension Tensor {
    /// `self + other`, element by element; shapes must match (the residual add of a transformer block).
    public func adding(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "Tensor.adding: \(shape) + \(other.shape)")
        var out = self
        out.withUnsafeMutableBufferPointer { y in
            other.withUnsafeBufferPointer { x in
                for i in y.indices { y[i] += x[i] }
            }
        }
        return out
    }

    /// `self + row` for every row of a matrix, where `row` has the matrix's width (broadcast over rows).
    public func addingToEachRow(_ row: Tensor) -> Tensor {
        precondition(rank == 2 && row.count == shape[1], "Tensor.addingToEachRow: \(shape) + \(row.shape)")
        var out = self
        let width = shape[1]
        out.withUnsafeMutableBufferPointer { y in
            row.withUnsafeBufferPointer { r in
                for i in y.indices { y[i] += r[i % width] }
            }
        }
        return out
    }
}

extension Tensor {
    /// The transpose of a matrix, as a new tensor (Conv1D weights stored `[in, out]` → `nn.Linear`'s `[out, in]`).
    public func transposedMatrix() -> Tensor {
        precondition(rank == 2, "Tensor.transposedMatrix: needs a matrix, got \(shape)")
        let (rows, columns) = (shape[0], shape[1])
        var out = Tensor(zeros: [columns, rows])
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for i in 0 ..< rows {
                    for j in 0 ..< columns { y[j * rows + i] = x[i * columns + j] }
                }
            }
        }
        return out
    }
}
