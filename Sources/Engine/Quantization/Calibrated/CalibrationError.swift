/// Why a calibration-based quantizer (GPTQ, AWQ, SmoothQuant) cannot run on the given weight and inputs.
public enum CalibrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The weight is not `[out, in]` or the inputs are not `[n, in]` with n ≥ 1.
    case shapeMismatch(String)
    /// The weight or the inputs hold NaN or infinite values.
    case nonFiniteValues(String)
    /// The method cannot work with this quantization format.
    case unsupportedFormat(String)
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// The damped Hessian is not positive definite (GPTQ); more dampening helps.
    case notPositiveDefinite(String)

    /// Human-readable message.
    public var description: String {
        switch self {
        case .shapeMismatch(let why): "shape mismatch: \(why)"
        case .nonFiniteValues(let what): "\(what) has NaN or infinite values"
        case .unsupportedFormat(let why): "unsupported format: \(why)"
        case .invalidConfiguration(let why): "invalid configuration: \(why)"
        case .notPositiveDefinite(let why): "not positive definite: \(why)"
        }
    }
}
