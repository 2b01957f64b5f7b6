/// Reductions over the positions of a sequence, and vector normalisation.
public enum Pooling {
    /// The mean of the rows of `x: [n, width]` (sentence-transformers' mean pooling for an unpadded sequence).
    public static func meanOfRows(_ x: Tensor) -> [Float] {
        precondition(x.rank == 2 && x.shape[0] > 0, "Pooling.meanOfRows: needs a non-empty matrix, got \(x.shape)")
        let (n, width) = (x.shape[0], x.shape[1])
        var sums = [Double](repeating: 0, count: width)
        x.withUnsafeBufferPointer { p in
            for i in 0 ..< n {
                for j in 0 ..< width { sums[j] += Double(p[i * width + j]) }
            }
        }
        return sums.map { Float($0 / Double(n)) }
    }

    /// `v / max(‖v‖₂, ε)`, as `torch.nn.functional.normalize` computes it (ε = 1e-12).
    public static func l2Normalized(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let inverse = 1 / max(norm, 1e-12)
        return v.map { Float(Double($0) * inverse) }
    }

    /// Global average pooling of a `[channels, height, width]` feature map to `[channels]`.
    public static func globalAverage(_ x: Tensor) -> [Float] {
        precondition(x.rank == 3, "Pooling.globalAverage: needs [channels, height, width], got \(x.shape)")
        let plane = x.shape[1] * x.shape[2]
        precondition(plane > 0, "Pooling.globalAverage: empty feature map")
        return x.withUnsafeBufferPointer { p in
            (0 ..< x.shape[0]).map { c in
                var sum: Float = 0
                for i in 0 ..< plane { sum += p[c * plane + i] }
                return sum / Float(plane)
            }
        }
    }
}
