#if canImport(Glibc)
import Glibc
#endif

/// AWQ, activation-aware weight quantization (Lin et al., MLSys 2024; QUANT_SPEC §7.2): scales the weight's input
/// channels by s = s_xᵅ (s_x = mean |X_j|) before rounding, so that channels with large activations lose less
/// precision, with α chosen by layer-output error on the calibration inputs; then picks each block's clip the same way.
///
/// The result stores `weight = Q(W·diag(s))` and `inputDivisor = s`, so the layer computes
/// `(x ⊘ s) · Q(W·diag(s))ᵀ`, which the reference obtains by folding 1/s into the previous operator. When α = 0 wins
/// (s ≡ 1) `inputDivisor` is nil and the result is plain round-to-nearest plus the clip search.
public enum AWQ {
    /// Quantizes `weight` (`[out, in]`) given calibration `inputs` (`[n, in]`).
    ///
    /// Every α and clip candidate is rounded with the same element type, rounding rule and clip sweep as
    /// `Quantizer` would use for `options` (ANT's type is picked once, on the unscaled weight), so α = 0 without the
    /// clip search is exactly round-to-nearest and the search can only lower the calibration output error.
    /// - Throws: `CalibrationError` for mismatched shapes, non-finite values, OliVe or a bad configuration;
    ///   `FormatError` for unsupported bits or a group size that does not divide the row.
    public static func quantize(weight: Tensor, inputs: Tensor, options: QuantizationOptions,
                                configuration: Configuration = .init()) throws -> CalibratedWeight {
        try configuration.validate()
        let layer = try CalibrationInputs(weight: weight, inputs: inputs)
        let plan = try ElementFormatPlan(options: options, weight: weight, method: "AWQ")
        let meter = LayerOutputError(gram: layer.gram(), channels: layer.channels)
        let magnitudes = layer.channelMagnitudes().mean

        var best: (alpha: Double, scales: [Float], scaled: Tensor, choices: [ElementQuantizer.BlockChoice], loss: Double)?
        for k in 0 ..< configuration.gridPoints {
            let alpha = Double(k) / Double(configuration.gridPoints)
            let scales = activationScales(magnitudes, alpha: alpha)
            let scaled = weight.scalingColumns(by: scales)
            let choices = plan.choices(for: scaled)
            let rounded = plan.fakeQuantize(scaled, choices: choices)
            let loss = meter.total(residual(weight, rounded: rounded, scales: scales), rows: layer.outputs)
            if best == nil || loss < best!.loss { best = (alpha, scales, scaled, choices, loss) }
        }
        guard var chosen = best else { preconditionFailure("AWQ: the α grid is validated non-empty") }
        if configuration.searchClip {
            chosen.choices = searchClip(plan: plan, weight: weight, scaled: chosen.scaled, scales: chosen.scales,
                                        incumbent: chosen.choices, meter: meter, ratios: configuration.clipRatios)
        }
        return try plan.finish(plan.fakeQuantize(chosen.scaled, choices: chosen.choices), choices: chosen.choices,
                               inputDivisor: chosen.alpha == 0 ? nil : chosen.scales)
    }

    /// s_j = max(s_x,jᵅ, 10⁻⁴), normalised by √(max s · min s) (§7.2); all ones for α = 0.
    static func activationScales(_ magnitudes: [Double], alpha: Double) -> [Float] {
        let raw = magnitudes.map { max(pow($0, alpha), 1e-4) }
        let norm = (raw.max()! * raw.min()!).squareRoot()
        return raw.map { Float($0 / norm) }
    }

    /// W − Q/s, the effective weight change of a candidate, `[out·in]`.
    static func residual(_ weight: Tensor, rounded: Tensor, scales: [Float]) -> [Float] {
        let (rows, columns) = (weight.shape[0], weight.shape[1])
        var delta = weight.values
        delta.withUnsafeMutableBufferPointer { d in
            rounded.withUnsafeBufferPointer { q in
                scales.withUnsafeBufferPointer { s in
                    for r in 0 ..< rows {
                        for c in 0 ..< columns { d[r * columns + c] -= q[r * columns + c] / s[c] }
                    }
                }
            }
        }
        return delta
    }

    /// Per block, keeps the clip (the incumbent's, or a fraction of the block's range from `ratios`) with the lowest
    /// output error of the block's columns, X_S·Δ_Sᵀ over the calibration inputs (§7.2; the reference measures it on
    /// sampled tokens per group, ignoring the other groups as here).
    private static func searchClip(plan: ElementFormatPlan, weight: Tensor, scaled: Tensor, scales: [Float],
                                   incumbent: [ElementQuantizer.BlockChoice], meter: LayerOutputError,
                                   ratios: ClipSearch) -> [ElementQuantizer.BlockChoice] {
        var segment = plan.channels
        if case .perGroup(let g) = plan.granularity { segment = g }
        let segments = plan.channels / segment
        func blockErrors(_ choices: [ElementQuantizer.BlockChoice]) -> [Double] {
            let delta = residual(weight, rounded: plan.fakeQuantize(scaled, choices: choices), scales: scales)
            let errors = meter.segmentErrors(delta, rows: plan.outputs, segment: segment)
            var blocks = [Double](repeating: 0, count: choices.count)
            for r in 0 ..< plan.outputs {
                for k in 0 ..< segments { blocks[plan.blockIndex(row: r, column: k * segment)] += errors[r * segments + k] }
            }
            return blocks
        }
        var best = incumbent
        var bestErrors = blockErrors(incumbent)
        for percent in stride(from: ratios.low, to: ratios.high, by: ratios.step) {
            let candidate = plan.choices(for: scaled, search: ClipSearch(low: percent, high: percent + 1))
            let errors = blockErrors(candidate)
            for b in 0 ..< best.count where errors[b] < bestErrors[b] {
                best[b] = candidate[b]
                bestErrors[b] = errors[b]
            }
        }
        return best
    }
}
