/// Why a format request cannot be honoured (user-facing: formats come from options and file metadata).
public enum FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The format family does not exist at this bit-width.
    case unsupportedBits(format: String, bits: Int)
    /// The format name is not recognised.
    case unknownFormat(String)
    /// The grid's values overflow Float32 (e.g. unsigned PoT8 reaches 2^254).
    case unrepresentable(String)
    /// An option does not fit the tensor (e.g. group size does not divide the row length).
    case invalidOption(String)

    /// Human-readable message.
    public var description: String {
        switch self {
        case .unsupportedBits(let f, let b): "format \(f) does not support \(b) bits"
        case .unknownFormat(let f): "unknown format \(f)"
        case .unrepresentable(let f): "format \(f) has values outside the Float32 range"
        case .invalidOption(let why): why
        }
    }
}
