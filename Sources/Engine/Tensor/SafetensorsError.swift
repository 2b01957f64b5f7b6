/// Why a safetensors file could not be read or written. Every malformed input maps to one of these.
public enum SafetensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// open/read/write/mmap failed; `errno` captured at the call site.
    case io(path: String, operation: String, errno: Int32)
    /// The file is shorter than its own header says.
    case truncated(String)
    /// The JSON header is not valid or has the wrong structure.
    case malformedHeader(String)
    /// A dtype string the engine does not support.
    case unsupportedDType(tensor: String, dtype: String)
    /// A shape with negative dimensions or an element count that overflows.
    case invalidShape(tensor: String, shape: String)
    /// `data_offsets` out of range, reversed, or disagreeing with dtype × shape.
    case invalidOffsets(tensor: String, reason: String)
    /// Two tensors claim overlapping byte ranges.
    case overlappingTensors(String, String)
    /// No tensor of that name.
    case missingTensor(String)
    /// A tensor's name is repeated.
    case duplicateTensor(String)

    /// Human-readable message.
    public var description: String {
        switch self {
        case .io(let path, let op, let errno): "\(path): \(op) failed (errno \(errno))"
        case .truncated(let why): "truncated safetensors file: \(why)"
        case .malformedHeader(let why): "malformed safetensors header: \(why)"
        case .unsupportedDType(let t, let d): "tensor \(t): unsupported dtype \(d)"
        case .invalidShape(let t, let s): "tensor \(t): invalid shape \(s)"
        case .invalidOffsets(let t, let why): "tensor \(t): invalid data_offsets (\(why))"
        case .overlappingTensors(let a, let b): "tensors \(a) and \(b) overlap"
        case .missingTensor(let t): "no tensor named \(t)"
        case .duplicateTensor(let t): "tensor \(t) appears twice"
        }
    }
}
