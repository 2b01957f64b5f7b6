/// A lookup table: row `i` of `table: [entries, width]` is the vector of id `i`.
public struct Embedding: Sendable {
    /// The vectors, `[entries, width]`.
    public var table: Tensor

    /// A table from its weights.
    public init(table: Tensor) {
        precondition(table.rank == 2, "Embedding: table must be a matrix, got \(table.shape)")
        self.table = table
    }

    /// Number of rows.
    public var entries: Int { table.shape[0] }
    /// Vector length.
    public var width: Int { table.shape[1] }

    /// The vectors of `ids`, `[ids.count, width]`; every id must be in range.
    public func callAsFunction(_ ids: [Int32]) -> Tensor {
        var out = Tensor(zeros: [ids.count, width])
        let width = width
        let entries = entries
        table.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { y in
                for (row, id) in ids.enumerated() {
                    precondition(id >= 0 && Int(id) < entries, "Embedding: id \(id) outside 0..<\(entries)")
                    let source = Int(id) * width
                    for j in 0 ..< width { y[row * width + j] = t[source + j] }
                }
            }
        }
        return out
    }

    /// Rows `0 ..< count` (position embeddings for a sequence of that length).
    public func prefix(_ count: Int) -> Tensor {
        precondition(count <= entries, "Embedding: \(count) positions, table has \(entries)")
        return table.rows(0 ..< count)
    }
}
