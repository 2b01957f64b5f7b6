/// Why a quant config cannot be used. Input-driven, so thrown with a message naming the offending entry.
public enum QuantConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be read or is not JSON.
    case unreadable(String)
    /// A key the schema does not know.
    case unknownKey(path: String, key: String)
    /// A missing or ill-typed value, or one out of range.
    case invalidValue(path: String, reason: String)
    /// A pattern that matches no layer of the model.
    case unmatchedPattern(String, layers: [String])
    /// The entry needs calibration inputs and none were given.
    case needsCalibration(pattern: String, reason: String)
    /// A format or option the quantizer rejects for this layer.
    case layer(name: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let why): "quant config: \(why)"
        case .unknownKey(let path, let key): "quant config: unknown key \"\(key)\" in \(path)"
        case .invalidValue(let path, let why): "quant config: \(path): \(why)"
        case .unmatchedPattern(let pattern, let layers):
            "quant config: pattern \"\(pattern)\" matches no layer; the model's layers are "
                + (layers.count > 8 ? layers.prefix(8).joined(separator: ", ") + ", … (\(layers.count) in all)"
                                    : layers.joined(separator: ", "))
        case .needsCalibration(let pattern, let why):
            "quant config: \"\(pattern)\" \(why) and needs calibration data (--calibration FILE)"
        case .layer(let name, let why): "layer \(name): \(why)"
        }
    }
}
