/// Fake quantization of a matrix layer's input rows (tokens, or im2col patches for a convolution).
///
/// Static: one scale for the whole tensor, chosen on the calibration inputs with the format's own clip search
/// (ANT/OliVe convention, QUANT_SPEC §0 "Granularity": one clip per tensor for activations; §2.1, §3.2), and with
/// the type's signedness fixed by the calibration data (§0 "Signedness"). Dynamic: one absmax scale per row,
/// computed on the row itself at run time (SmoothQuant's per-token mode, §7.3); OliVe keeps its 3σ clip search.
public struct ActivationQuantizer: Sendable {
    /// When the scale is chosen.
    public enum Mode: String, Sendable, CaseIterable {
        case `static`
        case dynamic
    }

    /// Format and bits (the granularity is implied by the mode).
    public let options: QuantizationOptions
    public let mode: Mode
    /// The calibrated per-tensor encoding (static mode only).
    let calibrated: Calibrated?

    enum Calibrated: Sendable {
        case element(ElementQuantizer, ElementQuantizer.BlockChoice)
        case olive(OVPCodec, scale: Float)
    }

    /// Per-row scales chosen on every call.
    public static func dynamic(_ options: QuantizationOptions) throws(FormatError) -> ActivationQuantizer {
        var perRow = options
        perRow.granularity = .perChannel
        if case .olive = options.method {} else { perRow.clipSearch = ClipSearch.none }
        perRow.threads = 1
        return ActivationQuantizer(options: perRow, mode: .dynamic, calibrated: nil)
    }

    /// One scale fitted to `samples: [rows, inputs]` (the layer's calibration inputs).
    public static func calibrated(_ options: QuantizationOptions, samples: Tensor) throws(FormatError) -> ActivationQuantizer {
        var perTensor = options
        perTensor.granularity = .perTensor
        let fitted = try Quantizer.quantize(samples, options: perTensor).quantized
        let scale = fitted.scales.first ?? 1
        let encoding: Calibrated
        switch fitted.format {
        case .element(let type):
            let zero = fitted.zeroPoints.first.map(Float.init) ?? 0
            encoding = .element(ElementQuantizer(type: type, rounding: Quantizer.roundingRule(for: type, options: options)),
                                ElementQuantizer.BlockChoice(scale: scale, zeroPoint: zero, squaredError: 0))
        case .olive(let format):
            encoding = .olive(OVPCodec(format: format), scale: scale)
        }
        perTensor.threads = 1
        return ActivationQuantizer(options: perTensor, mode: .static, calibrated: encoding)
    }

    /// The calibrated scale (static mode).
    public var staticScale: Float? {
        switch calibrated {
        case .element(_, let choice): choice.scale
        case .olive(_, let scale): scale
        case nil: nil
        }
    }

    /// The calibrated format (static mode): the type the clip search chose, signedness included.
    public var calibratedFormat: QuantFormat? {
        switch calibrated {
        case .element(let quantizer, _): .element(quantizer.type)
        case .olive(let codec, _): .olive(codec.format)
        case nil: nil
        }
    }

    /// `dequantize(quantize(x))` for `x: [rows, inputs]`.
    public func callAsFunction(_ x: Tensor) throws(FormatError) -> Tensor {
        switch calibrated {
        case nil:
            return try Quantizer.quantize(x, options: options).dequantized
        case .element(let quantizer, let choice):
            return try Quantizer.encode(x, shape: x.shape, quantizer: quantizer, choices: [choice], granularity: .perTensor,
                                        threads: 1).dequantize(threads: 1)
        case .olive(let codec, let scale):
            let choice = ElementQuantizer.BlockChoice(scale: scale, zeroPoint: 0, squaredError: 0)
            return try Quantizer.encodeOlive(x, shape: x.shape, codec: codec, choices: [choice], granularity: .perTensor)
                .0.dequantize(threads: 1)
        }
    }
}
