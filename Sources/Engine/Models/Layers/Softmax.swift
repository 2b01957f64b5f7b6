#if canImport(Glibc)
import Glibc
#endif

/// Numerically stable softmax along rows: `exp(x − max) / Σ exp(x − max)`.
public enum Softmax {
    /// Replaces each of the `rows` rows of `width` values at `values` by its softmax. Entries equal to −∞ (masked)
    /// get probability 0; a row must keep at least one finite entry.
    public static func applyRows(_ values: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0 ..< rows {
            let x = values + row * width
            var largest = -Float.infinity
            for j in 0 ..< width { largest = max(largest, x[j]) }
            precondition(largest.isFinite, "Softmax: row \(row) has no finite entry")
            var sum: Float = 0
            for j in 0 ..< width {
                let e = expf(x[j] - largest)
                x[j] = e
                sum += e
            }
            let inverse = 1 / sum
            for j in 0 ..< width { x[j] *= inverse }
        }
    }

    /// Softmax of every row of `x: [rows, width]`.
    public static func rows(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2, "Softmax: needs a matrix, got \(x.shape)")
        var out = x
        out.withUnsafeMutableBufferPointer { y in
            if let base = y.baseAddress { applyRows(base, rows: x.shape[0], width: x.shape[1]) }
        }
        return out
    }
}
