/// Applies a ``QuantConfig`` to a model: every matrix layer a pattern selects gets its weight quantized by the
/// entry's method (fake quantization: the layer keeps `dequantize(quantize(W))` in Float32 and runs the usual sgemm)
/// and, when asked, an input quantizer; static activation scales are fitted on the layer's calibration inputs.
public enum ModelQuantization {
    /// What was done to one layer.
    public struct LayerReport: Sendable {
        public var name: String
        /// The winning pattern.
        public var pattern: String
        public var method: QuantConfig.Method
        /// The stored weight format as chosen (`int4`, `flint4`, `olive-int4`, … + granularity), or `float32`.
        public var weight: String
        /// The activation format and mode (+ the static scale), or `float32`.
        public var activation: String
        /// Weight bytes as stored (codes + scales, + divisor) and in Float32.
        public var weightBytes: Int
        public var float32Bytes: Int
    }

    /// Quantizes `model` in place. `calibration` must hold the inputs of every layer whose rule needs them.
    @discardableResult
    public static func apply<M: QuantizableModel>(_ config: QuantConfig, to model: inout M,
                                                  calibration: CalibrationData?) throws(QuantConfigError) -> [LayerReport] {
        let assignments = try config.assignments(layers: model.quantizableLayers.map(\.name))
        if calibration == nil, let rule = config.rules.first(where: { $0.calibrationReason != nil }) {
            throw .needsCalibration(pattern: rule.pattern.text, reason: rule.calibrationReason!)
        }
        var reports: [LayerReport] = []
        try model.updateLayers { (layer: inout QuantizableLayer) throws(QuantConfigError) in
            guard let rule = assignments[layer.name] else { return }
            let inputs = calibration?.layer(layer.name)?.inputs
            if rule.calibrationReason != nil && inputs == nil {
                throw .layer(name: layer.name, reason: "the calibration pass recorded no inputs for it")
            }
            try quantize(&layer, rule: rule, inputs: inputs)
            reports.append(LayerReport(
                name: layer.name, pattern: rule.pattern.text, method: rule.method,
                weight: layer.quantization.weight.map { "\($0.format) \($0.granularity)" } ?? "float32",
                activation: rule.activation.map { describe(layer.quantization.activation, $0) } ?? "float32",
                weightBytes: layer.quantization.weightBytes(elements: layer.weight.count), float32Bytes: 4 * layer.weight.count))
        }
        return reports
    }

    private static func quantize(_ layer: inout QuantizableLayer, rule: QuantConfig.Rule, inputs: Tensor?) throws(QuantConfigError) {
        let name = layer.name
        func attempt<T>(_ body: () throws(FormatError) -> T) throws(QuantConfigError) -> T {
            do {
                return try body()
            } catch {
                throw .layer(name: name, reason: error.description)
            }
        }
        if let weight = rule.weight {
            let calibrated: CalibratedWeight
            if rule.method == .rtn {
                let result = try attempt { () throws(FormatError) in try Quantizer.quantize(layer.weight, options: weight.options) }
                calibrated = CalibratedWeight(weight: result.dequantized, inputDivisor: nil, quantized: result.quantized)
            } else {
                calibrated = try calibratedWeight(layer, method: rule.method, options: weight.options, alpha: rule.alpha, inputs: inputs!)
            }
            layer.weight = calibrated.weight.reshaped(layer.weight.shape)
            layer.quantization.weight = calibrated.quantized
            layer.quantization.inputDivisor = calibrated.inputDivisor
        }
        guard let activation = rule.activation else { return }
        let width = layer.matrix.shape[1]
        let quantizer: ActivationQuantizer
        switch activation.mode {
        case .dynamic:
            quantizer = try attempt { () throws(FormatError) in try ActivationQuantizer.dynamic(activation.options) }
        case .static:
            var samples = inputs!
            if let divisor = layer.quantization.inputDivisor { samples = samples.dividingColumns(by: divisor) }
            quantizer = try attempt { () throws(FormatError) in try ActivationQuantizer.calibrated(activation.options, samples: samples) }
        }
        // Try the quantizer on one row of the layer's width now, so that a format the inputs cannot take (OliVe on an
        // odd width) is a config error here rather than a failure in the middle of a forward pass.
        let probe = Tensor(shape: [1, width], values: (0 ..< width).map { Float($0 % 7) - 3 })
        _ = try attempt { () throws(FormatError) in try quantizer(probe) }
        layer.quantization.activation = quantizer
    }

    /// GPTQ, AWQ or SmoothQuant on the layer's weight as `[outputs, inputs]` and its calibration inputs.
    private static func calibratedWeight(_ layer: QuantizableLayer, method: QuantConfig.Method, options: QuantizationOptions,
                                         alpha: Float, inputs: Tensor) throws(QuantConfigError) -> CalibratedWeight {
        do {
            switch method {
            case .gptq: return try GPTQ.quantize(weight: layer.matrix, inputs: inputs, options: options)
            case .awq: return try AWQ.quantize(weight: layer.matrix, inputs: inputs, options: options)
            case .smoothquant: return try SmoothQuant.quantize(weight: layer.matrix, inputs: inputs, options: options, alpha: alpha)
            case .rtn: preconditionFailure("round-to-nearest needs no calibration")
            }
        } catch let error as FormatError {
            throw .layer(name: layer.name, reason: error.description)
        } catch let error as CalibrationError {
            throw .layer(name: layer.name, reason: "\(method.rawValue): \(error.description)")
        } catch {
            throw .layer(name: layer.name, reason: "\(method.rawValue): \(error)")
        }
    }

    private static func describe(_ quantizer: ActivationQuantizer?, _ spec: QuantConfig.ActivationSpec) -> String {
        if let format = quantizer?.calibratedFormat, let scale = quantizer?.staticScale {
            return "\(format) static (\(spec.formatName)\(spec.options.bits), scale \(scale))"
        }
        return "\(spec.formatName)\(spec.options.bits) dynamic per row"
    }
}
