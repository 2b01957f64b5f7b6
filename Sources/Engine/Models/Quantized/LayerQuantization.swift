/// How a matrix layer (``Linear``, ``Conv2D``) departs from plain Float32: the layer computes
/// `y = A(x ⊘ inputDivisor) · Wᵀ + b`, where `W` is the (possibly fake-quantized) weight it holds, `⊘` divides every
/// input column by its divisor (AWQ / SmoothQuant scales migrated into the weight, QUANT_SPEC §7.2–7.3) and `A` is the
/// activation quantizer or the identity.
public struct LayerQuantization: Sendable {
    /// Per input column (`inputs` of a linear, `inChannels·k·k` of a convolution), or nil.
    public var inputDivisor: [Float]?
    /// Input fake quantization, or nil for Float32 inputs.
    public var activation: ActivationQuantizer?
    /// The packed weight (codes + scales) the fake-quantized weight came from, or nil for a Float32 weight.
    public var weight: QuantizedTensor?

    /// Plain Float32.
    public init(inputDivisor: [Float]? = nil, activation: ActivationQuantizer? = nil, weight: QuantizedTensor? = nil) {
        self.inputDivisor = inputDivisor
        self.activation = activation
        self.weight = weight
    }

    /// True when the layer is plain Float32 at run time (the weight alone may still be fake-quantized).
    var leavesInputsAlone: Bool { inputDivisor == nil && activation == nil }

    /// Bytes of the weight as stored: codes + scales (+ zero-points) when quantized, else 4 per element; plus the
    /// Float32 input divisor.
    public func weightBytes(elements: Int) -> Int {
        (weight?.storageBytes ?? 4 * elements) + 4 * (inputDivisor?.count ?? 0)
    }

    /// `A(x ⊘ inputDivisor)` for the rows `x: [rows, inputs]`.
    func prepare(_ x: Tensor, layer: String) -> Tensor {
        if leavesInputsAlone { return x }
        var y = x
        if let divisor = inputDivisor {
            precondition(x.rank == 2 && x.shape[1] == divisor.count, "\(layer): input \(x.shape) vs \(divisor.count) divisors")
            y = y.dividingColumns(by: divisor)
        }
        guard let activation else { return y }
        do {
            return try activation(y)
        } catch {
            // ModelQuantization tries every activation format on a row of the layer's width before installing it.
            preconditionFailure("\(layer): activation quantization failed after validation: \(error)")
        }
    }
}
