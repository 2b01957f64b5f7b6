public import JSON

/// Per-layer quantization settings, read from a JSON file (schema and example in docs/quant-config.md):
///
/// ```json
/// {"layers": {
///    "*":          {"weight": {"format": "int", "bits": 8, "granularity": "channel"},
///                   "activation": {"format": "int", "bits": 8, "mode": "dynamic"}, "method": "rtn"},
///    "classifier": "float32"}}
/// ```
///
/// Each layer takes the entry of the matching pattern with the most literal (non-wildcard) characters; between
/// equally specific patterns, the one written first. Layers that no pattern matches stay Float32.
public struct QuantConfig: Sendable {
    /// How the weight is quantized.
    public enum Method: String, Sendable, CaseIterable {
        /// Round to nearest with the format's clip search (``Quantizer``).
        case rtn
        /// GPTQ (QUANT_SPEC §7.1).
        case gptq
        /// AWQ (§7.2).
        case awq
        /// SmoothQuant (§7.3).
        case smoothquant

        /// Whether the method needs the layer's calibration inputs.
        public var needsCalibration: Bool { self != .rtn }
    }

    /// A weight format: method family, bits and scale granularity.
    public struct WeightSpec: Sendable, Equatable {
        public var options: QuantizationOptions
        public var formatName: String
    }

    /// An input-activation format and when its scale is chosen.
    public struct ActivationSpec: Sendable, Equatable {
        public var options: QuantizationOptions
        public var formatName: String
        public var mode: ActivationQuantizer.Mode
    }

    /// One entry of `layers`.
    public struct Rule: Sendable, Equatable {
        public var pattern: LayerPattern
        /// nil: the weight stays Float32.
        public var weight: WeightSpec?
        /// nil: the inputs stay Float32.
        public var activation: ActivationSpec?
        public var method: Method
        /// SmoothQuant's migration strength α (§7.3).
        public var alpha: Float

        /// Whether applying the rule needs calibration inputs, and why.
        public var calibrationReason: String? {
            if method.needsCalibration { return "uses method \(method.rawValue)" }
            if activation?.mode == .static { return "quantizes activations statically" }
            return nil
        }
    }

    /// In file order.
    public var rules: [Rule]

    /// Reads and parses `path`.
    public init(path: String) throws(QuantConfigError) {
        let json: JSONValue
        do {
            json = try ModelFiles.readJSON(path)
        } catch {
            throw .unreadable(error.description)
        }
        try self.init(json: json)
    }

    /// Parses a config document.
    public init(json: JSONValue) throws(QuantConfigError) {
        guard let top = json.objectValue else { throw .invalidValue(path: "config", reason: "must be a JSON object") }
        try QuantConfig.checkKeys(top, allowed: ["layers"], path: "config")
        guard let layers = top["layers"]?.objectValue else {
            throw .invalidValue(path: "config", reason: "needs \"layers\": an object mapping layer-name patterns to settings")
        }
        rules = []
        for (pattern, value) in layers {
            rules.append(try QuantConfig.rule(pattern: pattern, value))
        }
    }

    /// Whether any entry needs calibration inputs.
    public var needsCalibration: Bool { rules.contains { $0.calibrationReason != nil } }

    /// The rule for every layer some pattern matches (most literal characters wins, then file order).
    /// - Throws: when a pattern matches no layer.
    public func assignments(layers: [String]) throws(QuantConfigError) -> [String: Rule] {
        for rule in rules where !layers.contains(where: rule.pattern.matches) {
            throw .unmatchedPattern(rule.pattern.text, layers: layers)
        }
        var result: [String: Rule] = [:]
        for name in layers {
            var best: Rule?
            for rule in rules where rule.pattern.matches(name) {
                if best == nil || rule.pattern.literalCount > best!.pattern.literalCount { best = rule }
            }
            result[name] = best
        }
        return result
    }

    private static func rule(pattern: String, _ value: JSONValue) throws(QuantConfigError) -> Rule {
        let path = "layers[\"\(pattern)\"]"
        guard !pattern.isEmpty else { throw .invalidValue(path: path, reason: "the pattern is empty") }
        if value.stringValue == "float32" {
            return Rule(pattern: LayerPattern(pattern), weight: nil, activation: nil, method: .rtn, alpha: 0.5)
        }
        guard let entry = value.objectValue else {
            throw .invalidValue(path: path, reason: "must be an object {weight, activation, method} or the string \"float32\"")
        }
        try checkKeys(entry, allowed: ["weight", "activation", "method", "alpha"], path: path)
        var method = Method.rtn
        if let name = entry["method"] {
            guard let text = name.stringValue, let parsed = Method(rawValue: text) else {
                throw .invalidValue(path: path + ".method", reason: "must be one of " + Method.allCases.map(\.rawValue).joined(separator: ", "))
            }
            method = parsed
        }
        var alpha: Float = 0.5
        if let value = entry["alpha"] {
            guard method == .smoothquant else { throw .invalidValue(path: path + ".alpha", reason: "only applies to method smoothquant") }
            guard let number = value.doubleValue, number >= 0, number <= 1 else {
                throw .invalidValue(path: path + ".alpha", reason: "must be a number in [0, 1]")
            }
            alpha = Float(number)
        }
        var weight: WeightSpec?
        if let spec = entry["weight"] {
            let (options, name) = try format(spec, path: path + ".weight", extraKeys: ["granularity", "clip"])
            var withGranularity = options
            if let clip = spec["clip"] {
                switch clip.stringValue {
                case "search": break
                // α = the sweep's starting point: max|w| for element formats, the 3σ bound for OliVe (§2.1, §3.2).
                case "max": withGranularity.clipSearch = ClipSearch.none
                default: throw .invalidValue(path: path + ".weight.clip", reason: "must be search or max")
                }
            }
            if let text = spec["granularity"] {
                guard let string = text.stringValue else {
                    throw .invalidValue(path: path + ".weight.granularity", reason: "must be a string: tensor, channel or group:G")
                }
                do {
                    withGranularity.granularity = try Granularity(parsing: string)
                } catch {
                    throw .invalidValue(path: path + ".weight.granularity", reason: error.description)
                }
            }
            weight = WeightSpec(options: withGranularity, formatName: name)
        } else if method != .rtn {
            throw .invalidValue(path: path, reason: "method \(method.rawValue) needs a weight format")
        }
        var activation: ActivationSpec?
        if let spec = entry["activation"] {
            let (options, name) = try format(spec, path: path + ".activation", extraKeys: ["mode"])
            var mode = ActivationQuantizer.Mode.dynamic
            if let text = spec["mode"] {
                guard let string = text.stringValue, let parsed = ActivationQuantizer.Mode(rawValue: string) else {
                    throw .invalidValue(path: path + ".activation.mode", reason: "must be static or dynamic")
                }
                mode = parsed
            }
            activation = ActivationSpec(options: options, formatName: name, mode: mode)
        }
        return Rule(pattern: LayerPattern(pattern), weight: weight, activation: activation, method: method, alpha: alpha)
    }

    /// `{"format": NAME, "bits": B, …}` → quantizer options (granularity left per channel).
    private static func format(_ spec: JSONValue, path: String, extraKeys: [String]) throws(QuantConfigError)
        -> (QuantizationOptions, String) {
        guard let object = spec.objectValue else { throw .invalidValue(path: path, reason: "must be an object {format, bits, …}") }
        try checkKeys(object, allowed: ["format", "bits"] + extraKeys, path: path)
        guard let name = object["format"]?.stringValue else {
            throw .invalidValue(path: path + ".format", reason: "must be a format name: int, int-sym, int-asym, pot, flint, float-eXmY, ant or olive")
        }
        guard let bits = object["bits"]?.integerValue, bits > 0, bits <= 64 else {
            throw .invalidValue(path: path + ".bits", reason: "must be a positive integer")
        }
        do {
            return (QuantizationOptions(method: try QuantizationMethod(formatName: name, bits: Int(bits)), bits: Int(bits)), name)
        } catch {
            throw .invalidValue(path: path, reason: error.description)
        }
    }

    private static func checkKeys(_ object: JSONObject, allowed: [String], path: String) throws(QuantConfigError) {
        for key in object.keys where !allowed.contains(key) { throw .unknownKey(path: path, key: key) }
    }
}
