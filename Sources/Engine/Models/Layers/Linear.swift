/// A fully connected layer `y = x · Wᵀ + b`, with `W: [outputs, inputs]` as PyTorch stores `nn.Linear`.
public struct Linear: Sendable {
    /// Weights, `[outputs, inputs]`.
    public var weight: Tensor
    /// Bias, `[outputs]`, or nil.
    public var bias: Tensor?

    /// A layer from its weights; shapes are checked.
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Linear: weight must be a matrix, got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[0]], "Linear: bias \(bias!.shape) ≠ [\(weight.shape[0])]")
        self.weight = weight
        self.bias = bias
    }

    /// Number of input features.
    public var inputs: Int { weight.shape[1] }
    /// Number of output features.
    public var outputs: Int { weight.shape[0] }

    /// Applies the layer to every row of `x: [rows, inputs]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == inputs, "Linear: input \(x.shape) needs [rows, \(inputs)]")
        var out = MatrixProduct.multiply(x, transposed: weight)
        if let bias {
            let width = outputs
            out.withUnsafeMutableBufferPointer { y in
                bias.withUnsafeBufferPointer { b in
                    for row in 0 ..< x.shape[0] {
                        for j in 0 ..< width { y[row * width + j] += b[j] }
                    }
                }
            }
        }
        return out
    }
}
