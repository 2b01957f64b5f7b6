/// Why a model, its configuration or its tokenizer files could not be loaded. Input-driven, so thrown (STYLE.md §13).
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file could not be read.
    case unreadable(path: String, reason: String)
    /// A configuration file is missing a field or has a value of the wrong kind.
    case invalidConfiguration(String)
    /// A weight tensor is missing or cannot be converted to Float32.
    case invalidWeights(tensor: String, reason: String)
    /// A weight tensor has a shape other than the configuration implies.
    case shapeMismatch(tensor: String, expected: [Int], found: [Int])
    /// A tokenizer file (vocabulary, merges) is malformed.
    case invalidTokenizer(String)

    /// Human-readable message.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .invalidConfiguration(let why): "invalid model configuration: \(why)"
        case .invalidWeights(let name, let reason): "tensor \(name): \(reason)"
        case .shapeMismatch(let name, let expected, let found): "tensor \(name): expected shape \(expected), found \(found)"
        case .invalidTokenizer(let why): "invalid tokenizer file: \(why)"
        }
    }
}
