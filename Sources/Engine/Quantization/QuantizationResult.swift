/// The outcome of quantizing one tensor.
public struct QuantizationResult: Sendable {
    /// Packed codes, scales and format.
    public let quantized: QuantizedTensor
    /// The fake-quantized tensor, `quantized.dequantize()`.
    public let dequantized: Tensor
    /// Mean squared error against the input.
    public let meanSquaredError: Double
    /// Signal-to-quantization-noise ratio, 10·log10(Σx² / Σ(x − x̂)²), in dB (+∞ when exact).
    public let sqnrDecibels: Double
    /// Fraction of elements stored as outliers (OliVe only).
    public let outlierFraction: Double?
    /// Fraction of elements pruned as victims (OliVe only).
    public let victimFraction: Double?
    /// Total squared error of every candidate type considered, in evaluation order (ANT and OliVe).
    public let candidateErrors: [(type: String, squaredError: Double)]
}
