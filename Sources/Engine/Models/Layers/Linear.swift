/// A fully connected layer `y = x · Wᵀ + b`, with `W: [outputs, inputs]` as PyTorch stores `nn.Linear`.
/// A quantized layer computes `y = A(x ⊘ d) · Ŵᵀ + b` instead (``LayerQuantization``).
public struct Linear: Sendable {
    /// The safetensors name without `.weight` (`encoder.layer.0.attention.self.query`); quant configs match it.
    public var name: String
    /// Weights, `[outputs, inputs]` (fake-quantized when the layer is quantized).
    public var weight: Tensor
    /// Bias, `[outputs]`, or nil.
    public var bias: Tensor?
    /// Input division and activation quantization; plain Float32 by default.
    public var quantization = LayerQuantization()

    /// A layer from its weights; shapes are checked.
    public init(name: String = "", weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Linear: weight must be a matrix, got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[0]], "Linear: bias \(bias!.shape) ≠ [\(weight.shape[0])]")
        self.name = name
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
        ForwardObservation.current?.layerInput(name, x)
        var out = MatrixProduct.multiply(quantization.prepare(x, layer: name), transposed: weight)
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
