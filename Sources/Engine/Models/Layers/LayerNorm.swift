/// Layer normalisation over the last dimension (Ba, Kiros & Hinton 2016):
/// `y = (x − mean) / sqrt(var + ε) · γ + β`, with the biased variance, as PyTorch `nn.LayerNorm` computes it.
public struct LayerNorm: Sendable {
    /// Scale γ, `[features]`.
    public var weight: Tensor
    /// Shift β, `[features]`.
    public var bias: Tensor
    /// ε added to the variance.
    public var epsilon: Float

    /// A layer from its parameters.
    public init(weight: Tensor, bias: Tensor, epsilon: Float) {
        precondition(weight.rank == 1 && bias.shape == weight.shape, "LayerNorm: γ \(weight.shape) and β \(bias.shape)")
        self.weight = weight
        self.bias = bias
        self.epsilon = epsilon
    }

    /// Normalises every row of `x: [rows, features]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let width = weight.shape[0]
        precondition(x.rank == 2 && x.shape[1] == width, "LayerNorm: input \(x.shape) needs [rows, \(width)]")
        var out = x
        out.withUnsafeMutableBufferPointer { y in
            weight.withUnsafeBufferPointer { g in
                bias.withUnsafeBufferPointer { b in
                    for row in 0 ..< x.shape[0] {
                        let base = row * width
                        // Double accumulation keeps the statistics exact enough for 1e-12 epsilons (BERT).
                        var sum = 0.0
                        for j in 0 ..< width { sum += Double(y[base + j]) }
                        let mean = sum / Double(width)
                        var squares = 0.0
                        for j in 0 ..< width {
                            let d = Double(y[base + j]) - mean
                            squares += d * d
                        }
                        let inverse = 1 / (squares / Double(width) + Double(epsilon)).squareRoot()
                        for j in 0 ..< width {
                            y[base + j] = Float((Double(y[base + j]) - mean) * inverse) * g[j] + b[j]
                        }
                    }
                }
            }
        }
        return out
    }

    /// γ and β elements.
    public var parameterCount: Int { weight.count + bias.count }
}
