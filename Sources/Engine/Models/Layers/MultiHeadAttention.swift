/// Scaled dot-product multi-head self-attention (Vaswani et al. 2017, §3.2):
/// `head_h = softmax(Q_h K_hᵀ / √d_h + mask) V_h`, `out = concat(head_1 … head_H) W_oᵀ + b_o`.
/// Bidirectional (BERT) or causal, where position i attends to positions ≤ i only (GPT-2).
public struct MultiHeadAttention: Sendable {
    /// The projections to queries, keys and values.
    public enum Projections: Sendable {
        /// Three `[width, width]` layers (BERT's query, key, value).
        case separate(query: Linear, key: Linear, value: Linear)
        /// One `[3·width, width]` layer whose output rows are `[q | k | v]` (GPT-2's `c_attn`), kept fused so that it
        /// is one quantizable layer under its checkpoint name.
        case fused(Linear)
    }

    public var projections: Projections
    /// Output projection, `[width, width]`.
    public var output: Linear
    /// Number of heads H; the width must be a multiple of it.
    public let heads: Int
    /// True for a decoder: future positions are masked out.
    public let isCausal: Bool

    /// An attention block from separate query, key and value projections.
    public init(query: Linear, key: Linear, value: Linear, output: Linear, heads: Int, isCausal: Bool) {
        precondition([key, value].allSatisfy { $0.inputs == query.inputs && $0.outputs == query.outputs },
                     "MultiHeadAttention: projection shapes disagree")
        self.init(projections: .separate(query: query, key: key, value: value), output: output, heads: heads, isCausal: isCausal)
    }

    /// An attention block from any projections.
    public init(projections: Projections, output: Linear, heads: Int, isCausal: Bool) {
        let width = output.inputs
        switch projections {
        case .separate(let query, _, _):
            precondition(query.outputs == width, "MultiHeadAttention: query width \(query.outputs) ≠ \(width)")
        case .fused(let qkv):
            precondition(qkv.outputs == 3 * width, "MultiHeadAttention: fused projection gives \(qkv.outputs), needs 3 × \(width)")
        }
        precondition(heads > 0 && width % heads == 0, "MultiHeadAttention: width \(width) not divisible by \(heads) heads")
        self.projections = projections
        self.output = output
        self.heads = heads
        self.isCausal = isCausal
    }

    /// The projection layers in evaluation order.
    public var projectionLayers: [Linear] {
        switch projections {
        case .separate(let query, let key, let value): [query, key, value]
        case .fused(let qkv): [qkv]
        }
    }

    /// The query, key and value projections as layers of their own (read-only; for a fused projection, its row blocks).
    public var query: Linear { projection(0) }
    public var key: Linear { projection(1) }
    public var value: Linear { projection(2) }

    private func projection(_ k: Int) -> Linear {
        switch projections {
        case .separate(let query, let key, let value):
            return [query, key, value][k]
        case .fused(let qkv):
            let width = output.inputs
            return Linear(name: qkv.name, weight: qkv.weight.rows(k * width ..< (k + 1) * width),
                          bias: qkv.bias.map { Tensor(shape: [width], values: Array($0.values[k * width ..< (k + 1) * width])) })
        }
    }

    /// Applies `body` to each projection layer, output included.
    public mutating func updateLayers<E: Error>(_ body: (inout Linear) throws(E) -> Void) throws(E) {
        switch projections {
        case .separate(var query, var key, var value):
            try body(&query)
            try body(&key)
            try body(&value)
            projections = .separate(query: query, key: key, value: value)
        case .fused(var qkv):
            try body(&qkv)
            projections = .fused(qkv)
        }
        try body(&output)
    }

    /// Attends over the `n` positions of `x: [n, width]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        // q, k and v as column blocks of row-major buffers with leading dimension `stride`.
        let q: Tensor, k: Tensor, v: Tensor
        let stride: Int
        let (kOffset, vOffset): (Int, Int)
        let width = output.inputs
        switch projections {
        case .separate(let query, let key, let value):
            (q, k, v) = (query(x), key(x), value(x))
            (stride, kOffset, vOffset) = (width, 0, 0)
        case .fused(let qkv):
            q = qkv(x)
            (k, v) = (q, q)
            (stride, kOffset, vOffset) = (3 * width, width, 2 * width)
        }
        let n = x.shape[0]
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
                                // Scores = Q_h · K_hᵀ, reading the head's column block in place (leading dimension = stride).
                                MatrixProduct.gemm(transposeB: true, m: n, n: n, k: headWidth,
                                                   a: pq.baseAddress! + column, lda: stride,
                                                   b: pk.baseAddress! + kOffset + column, ldb: stride,
                                                   beta: 0, c: s, ldc: n)
                                for i in 0 ..< n {
                                    for j in 0 ..< n {
                                        s[i * n + j] = isCausal && j > i ? -Float.infinity : s[i * n + j] * scale
                                    }
                                }
                                Softmax.applyRows(s, rows: n, width: n)
                                MatrixProduct.gemm(transposeB: false, m: n, n: headWidth, k: n,
                                                   a: s, lda: n, b: pv.baseAddress! + vOffset + column, ldb: stride,
                                                   beta: 0, c: pc.baseAddress! + column, ldc: width)
                            }
                        }
                    }
                }
            }
        }
        return output(context)
    }

    /// Bias elements of every projection.
    var biasCount: Int { (projectionLayers + [output]).reduce(0) { $0 + $1.biasCount } }
}
