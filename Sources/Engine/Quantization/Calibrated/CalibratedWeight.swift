/// A weight quantized with the help of calibration inputs (GPTQ, AWQ, SmoothQuant; QUANT_SPEC §7).
///
/// The layer computes `y = A(x ⊘ inputDivisor) · weightᵀ + bias`, where `A` is the layer's activation quantizer
/// (identity when activations stay Float32) and `⊘` divides each input channel by its entry (skipped when
/// `inputDivisor` is nil). Without the activation quantizer this equals `x · (weight ⊘ inputDivisor)ᵀ + bias`.
public struct CalibratedWeight: Sendable {
    /// `[out, in]`, fake-quantized: every value is a grid value times its block's scale (`quantized.dequantize()`).
    public let weight: Tensor
    /// One divisor per input channel (AWQ and SmoothQuant scales s); nil when the inputs are used as they are.
    public let inputDivisor: [Float]?
    /// The packed form of `weight` (codes, scales, zero-points), for model bytes; nil when none exists.
    public let quantized: QuantizedTensor?

    /// Bundles a fake-quantized weight with its input divisor and packed form.
    public init(weight: Tensor, inputDivisor: [Float]?, quantized: QuantizedTensor?) {
        self.weight = weight
        self.inputDivisor = inputDivisor
        self.quantized = quantized
    }
}
