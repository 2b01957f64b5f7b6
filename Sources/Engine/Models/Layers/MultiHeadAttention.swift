/// Scaled dot-product multi-head self-attention (Vaswani et al. 2017, §3.2):
/// `head_h = softmax(Q_h K_hᵀ / √d_h + mask) V_h`, `out = concat(head_1 … head_H) W_oᵀ + b_o`.
/// Bidirectional (BERT) or causal, where position i attends to positions ≤ i only (GPT-2).
public struct MultiHeadAttention: Sendable {
    /// Projections to queries, keys and values, each `[width, width]`.
    public var query: Linear
    public var key: Linear
    public var value: Linear
    /// Output projection, `[width, width]`.
    public var output: Linear
    /// Number of heads H; the width must be a multiple of it.
    public let heads: Int
    /// True for a decoder: future positions are masked out.
    public let isCausal: Bool

    /// An attention block from its projections.
    public init(query: Linear, key: Linear, value: Linear, output: Linear, heads: Int, isCausal: Bool) {
        let width = query.outputs
        precondition(heads > 0 && width % heads == 0, "MultiHeadAttention: width \(width) not divisible by \(heads) heads")
        precondition([key, value].allSatisfy { $0.inputs == query.inputs && $0.outputs == width }
                     && output.inputs == width, "MultiHeadAttention: projection shapes disagree")
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.heads = heads
        self.isCausal = isCausal
    }

    /// Attends over the `n` positions of `x: [n, width]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let q = query(x)
        let k = key(x)
        let v = value(x)
        let n = x.shape[0]
        let width = query.outputs
        let headWidth = width / heads
        let scale = 1 / Float(headWidth).squareRoot()
        var context = Tensor(zeros: [n, width])
        var scores = [Float](repeating: 0, count: n * n)
        q.withUnsafeBufferPointer { pq in
            k.withUnsafeBufferPointer { pk in
                v.withUnsafeBufferPointer { pv in
                    context.withUnsafeMutableBufferPointer { pc in
                        scores.withUnsafeMutableBufferPointer { ps in
                            let s = ps.baseAddress!
                            for h in 0 ..< heads {
                                let column = h * headWidth
                                // Scores = Q_h · K_hᵀ, reading the head's column block in place (leading dimension = width).
                                MatrixProduct.gemm(transposeB: true, m: n, n: n, k: headWidth,
                                                   a: pq.baseAddress! + column, lda: width,
                                                   b: pk.baseAddress! + column, ldb: width,
                                                   beta: 0, c: s, ldc: n)
                                for i in 0 ..< n {
                                    for j in 0 ..< n {
                                        s[i * n + j] = isCausal && j > i ? -Float.infinity : s[i * n + j] * scale
                                    }
                                }
                                Softmax.applyRows(s, rows: n, width: n)
                                MatrixProduct.gemm(transposeB: false, m: n, n: headWidth, k: n,
                                                   a: s, lda: n, b: pv.baseAddress! + column, ldb: width,
                                                   beta: 0, c: pc.baseAddress! + column, ldc: width)
                            }
                        }
                    }
                }
            }
        }
        return output(context)
    }
}
