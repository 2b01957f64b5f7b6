#if canImport(Glibc)
import Glibc
#endif

/// SmoothQuant (Xiao et al., ICML 2023; QUANT_SPEC §7.3): migrates quantization difficulty from activations to
/// weights with a per-input-channel factor s_j = max|X_j|ᵅ / max|W_{:,j}|^(1−α), so that x/s has milder outliers for
/// the activation quantizer and W·diag(s) stays easy to quantize.
public enum SmoothQuant {
    /// Quantizes `weight·diag(s)` (`[out, in]`) with `options` (the weight format, typically int8 per channel) and
    /// returns `inputDivisor = s`; the caller quantizes `x ⊘ s` (typically int8 per token).
    ///
    /// - Parameter alpha: migration strength α ∈ [0, 1] (0.5 is the paper's default for OPT/BLOOM).
    /// - Throws: `CalibrationError` for mismatched shapes, non-finite values or α outside [0, 1]; `FormatError`
    ///   from `Quantizer` for an unsupported weight format.
    public static func quantize(weight: Tensor, inputs: Tensor, options: QuantizationOptions,
                                alpha: Float = 0.5) throws -> CalibratedWeight {
        guard alpha >= 0, alpha <= 1 else { throw CalibrationError.invalidConfiguration("SmoothQuant α must lie in [0, 1], got \(alpha)") }
        let layer = try CalibrationInputs(weight: weight, inputs: inputs)
        let factors = smoothingFactors(activationMaxima: layer.channelMagnitudes().maximum,
                                       weightMaxima: layer.weightColumnMaxima(), alpha: alpha)
        let result = try Quantizer.quantize(weight.scalingColumns(by: factors), options: options)
        return CalibratedWeight(weight: result.dequantized, inputDivisor: factors, quantized: result.quantized)
    }

    /// s_j = max|X_j|ᵅ / max|W_{:,j}|^(1−α), clamped to ≥ 10⁻⁵ (§7.3). A channel whose activations or weights are all
    /// zero carries no information to balance and keeps s_j = 1.
    public static func smoothingFactors(activationMaxima: [Float], weightMaxima: [Float], alpha: Float) -> [Float] {
        precondition(activationMaxima.count == weightMaxima.count, "SmoothQuant: \(activationMaxima.count) ≠ \(weightMaxima.count) channels")
        return zip(activationMaxima, weightMaxima).map { x, w in
            guard x > 0, w > 0 else { return 1 }
            return max(Float(pow(Double(x), Double(alpha)) / pow(Double(w), Double(1 - alpha))), 1e-5)
        }
    }
}
