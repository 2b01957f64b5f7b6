import Engine
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The layer graph against direct Float64 formulas on small random inputs.
@Suite struct LayerTests {
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        return Tensor(shape: shape, values: TestSupport.randomValues(Tensor.elementCount(of: shape), rng: &rng))
    }

    /// y_ij = Σ_k x_ik W_jk + b_j in Float64.
    static func naiveLinear(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> [Double] {
        let (n, k, m) = (x.shape[0], x.shape[1], w.shape[0])
        var out = [Double](repeating: 0, count: n * m)
        for i in 0 ..< n {
            for j in 0 ..< m {
                var sum = b.map { Double($0[j]) } ?? 0
                for t in 0 ..< k { sum += Double(x[i, t]) * Double(w[j, t]) }
                out[i * m + j] = sum
            }
        }
        return out
    }

    @Test(arguments: [(1, 1, 1), (3, 5, 7), (17, 33, 9)])
    func linear_MatchesNaiveProduct(rows: Int, inputs: Int, outputs: Int) {
        let x = Self.random([rows, inputs], seed: 1)
        let w = Self.random([outputs, inputs], seed: 2)
        let b = Self.random([outputs], seed: 3)
        let y = Linear(weight: w, bias: b)(x)
        #expect(y.shape == [rows, outputs])
        for (got, want) in zip(y.values, Self.naiveLinear(x, w, b)) { #expect(abs(Double(got) - want) < 1e-4) }
    }

    @Test func matrixProduct_PlainAndTransposedAgree() {
        let a = Self.random([4, 6], seed: 4)
        let b = Self.random([6, 5], seed: 5)
        var bt = [Float](repeating: 0, count: 30)
        for i in 0 ..< 6 { for j in 0 ..< 5 { bt[j * 6 + i] = b[i, j] } }
        let plain = MatrixProduct.multiply(a, b)
        let viaTranspose = MatrixProduct.multiply(a, transposed: Tensor(shape: [5, 6], values: bt))
        for (p, q) in zip(plain.values, viaTranspose.values) { #expect(abs(p - q) < 1e-5) }
    }

    @Test func layerNorm_GivesZeroMeanUnitVarianceBeforeAffine() {
        let x = Self.random([3, 64], seed: 6)
        let ones = Tensor(shape: [64], values: Array(repeating: 1, count: 64))
        let y = LayerNorm(weight: ones, bias: Tensor(zeros: [64]), epsilon: 1e-12)(x)
        for row in 0 ..< 3 {
            let v = y.rows(row ..< row + 1).values.map(Double.init)
            let mean = v.reduce(0, +) / 64
            let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 64
            #expect(abs(mean) < 1e-6)
            #expect(abs(variance - 1) < 1e-5)
        }
    }

    @Test func activation_KnownValues() {
        // Φ(1) = 0.841344746…, so GELU(1) = 0.841344746; GELU(−1) = −0.158655254.
        #expect(abs(Activation.gelu.apply(1) - 0.841_344_75) < 1e-6)
        #expect(abs(Activation.gelu.apply(-1) + 0.158_655_25) < 1e-6)
        #expect(abs(Activation.geluTanh.apply(1) - 0.841_191_9) < 1e-6)
        #expect(Activation.relu.apply(-2) == 0 && Activation.relu.apply(3) == 3)
    }

    @Test func softmax_RowsSumToOneAndMaskedEntriesVanish() {
        let x = Tensor(shape: [2, 3], values: [1, 2, 3, 1000, -.infinity, 1000])
        let p = Softmax.rows(x)
        #expect(abs(p[0, 2] - 0.665_240_96) < 1e-6)
        #expect(p[1, 1] == 0 && abs(p[1, 0] - 0.5) < 1e-7)
    }

    /// Attention with identity projections and one head, against softmax(QKᵀ/√d)V written out directly.
    @Test(arguments: [false, true])
    func attention_MatchesDirectFormula(isCausal: Bool) {
        let (n, d, heads) = (5, 8, 2)
        let x = Self.random([n, d], seed: 7)
        func projection(_ seed: UInt64) -> Linear { Linear(weight: Self.random([d, d], seed: seed), bias: Self.random([d], seed: seed + 100)) }
        let (wq, wk, wv, wo) = (projection(10), projection(11), projection(12), projection(13))
        let y = MultiHeadAttention(query: wq, key: wk, value: wv, output: wo, heads: heads, isCausal: isCausal)(x)

        let q = Self.naiveLinear(x, wq.weight, wq.bias), k = Self.naiveLinear(x, wk.weight, wk.bias)
        let v = Self.naiveLinear(x, wv.weight, wv.bias)
        let dh = d / heads
        var context = [Float](repeating: 0, count: n * d)
        for h in 0 ..< heads {
            for i in 0 ..< n {
                let visible = isCausal ? i + 1 : n
                let scores = (0 ..< visible).map { j in
                    (0 ..< dh).reduce(0.0) { $0 + q[i * d + h * dh + $1] * k[j * d + h * dh + $1] } / Double(dh).squareRoot()
                }
                let top = scores.max()!
                let weights = scores.map { exp($0 - top) }
                let total = weights.reduce(0, +)
                for t in 0 ..< dh {
                    let sum = (0 ..< visible).reduce(0.0) { $0 + weights[$1] / total * v[$1 * d + h * dh + t] }
                    context[i * d + h * dh + t] = Float(sum)
                }
            }
        }
        let expected = Self.naiveLinear(Tensor(shape: [n, d], values: context), wo.weight, wo.bias)
        for (got, want) in zip(y.values, expected) { #expect(abs(Double(got) - want) < 1e-4) }
    }

    @Test func causalAttention_FirstPositionIgnoresTheFuture() {
        let d = 4
        func projection(_ seed: UInt64) -> Linear { Linear(weight: Self.random([d, d], seed: seed), bias: nil) }
        let attention = MultiHeadAttention(query: projection(1), key: projection(2), value: projection(3),
                                           output: projection(4), heads: 1, isCausal: true)
        let a = Self.random([3, d], seed: 20)
        var changed = a.values
        for j in d ..< 3 * d { changed[j] += 1 }
        let ya = attention(a), yb = attention(Tensor(shape: [3, d], values: changed))
        #expect(ya.rows(0 ..< 1) == yb.rows(0 ..< 1))
        #expect(ya.rows(2 ..< 3) != yb.rows(2 ..< 3))
    }

    @Test func embeddingAndPooling() {
        let table = Tensor(shape: [3, 2], values: [0, 1, 2, 3, 4, 5])
        let rows = Embedding(table: table)([2, 0, 2])
        #expect(rows.values == [4, 5, 0, 1, 4, 5])
        #expect(Pooling.meanOfRows(rows) == [8.0 / 3, 11.0 / 3])
        #expect(Pooling.l2Normalized([3, 4]) == [0.6, 0.8])
        #expect(Pooling.globalAverage(Tensor(shape: [2, 1, 2], values: [1, 3, 5, 9])) == [2, 7])
    }
}
